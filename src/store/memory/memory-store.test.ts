// The store contract on the in-memory reference adapter.
import { storeContractSuite } from '../contract.suite.ts';
import { MemoryStore } from './memory-store.ts';

storeContractSuite('memory', async () => {
  const store = new MemoryStore();
  return { store, cleanup: () => store.close() };
});
