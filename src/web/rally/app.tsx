// The whole rally page: header with the stamp, views, and the one live region.
import { ChartView } from './charts.tsx';
import { CrewView } from './crew.tsx';
import { GridView } from './grid.tsx';
import { route, stageLoading } from './state.ts';
import { EntryList, Header, Overall, StageView, Status, Tabs, Timetable } from './views.tsx';

export function App() {
  const r = route.value;
  return (
    <>
      <Header />
      <main id="main" tabIndex={-1}>
        <Tabs />
        <Status />
        <section id="view">
          {r.view === 'stage' ? <StageView loading={stageLoading.value} /> : r.view === 'crew' ? <CrewView /> : r.view === 'chart' ? <ChartView /> : r.view === 'grid' ? <GridView />
            : r.view === 'entries' ? <EntryList /> : r.view === 'timetable' ? <Timetable /> : <Overall />}
        </section>
      </main>
    </>
  );
}
