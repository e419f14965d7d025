// The jobs people do at a rally, as tokens and enrollment codes are named
// after them, and the access each job gets. rallyhq has three access roles;
// a post says who the holder is and which role fits it (SEE: docs/operations.md
// "Roles and tokens"): the clerk of the course, the stewards and the results
// team work at HQ on one rally (results officer); timekeepers and marshals
// write times at named controls (timekeeper).

export type AccessRole = 'admin' | 'officer' | 'timekeeper';

export interface Post {
  id: string;
  /** As rally people say it. */
  name: string;
  /** The access role a token for this post carries. */
  role: AccessRole;
  /** Whether the holder works at named controls (and the token is limited to them). */
  atControls: boolean;
}

export const POSTS: readonly Post[] = [
  { id: 'clerk', name: 'Clerk of the course', role: 'officer', atControls: false },
  { id: 'steward', name: 'Steward', role: 'officer', atControls: false },
  { id: 'results', name: 'Results', role: 'officer', atControls: false },
  { id: 'timekeeper', name: 'Timekeeper', role: 'timekeeper', atControls: true },
  { id: 'marshal', name: 'Marshal', role: 'timekeeper', atControls: true },
];

export const POST_IDS: readonly string[] = POSTS.map((p) => p.id);

export function postById(id: string): Post | undefined {
  return POSTS.find((p) => p.id === id);
}

/** Why a post does not fit a role, in words, or null when it fits. */
export function postRoleProblem(postId: string, role: AccessRole): string | null {
  const post = postById(postId);
  if (!post) return `there is no post "${postId}"; use one of ${POST_IDS.join(', ')}`;
  const a = (r: AccessRole) => (r === 'timekeeper' ? `a ${r}` : `an ${r}`);
  if (post.role !== role) return `a ${post.name.toLowerCase()} gets ${a(post.role)} token, not ${a(role)} one; set role to "${post.role}" or pick another post`;
  return null;
}

/** The label a token or code is listed and audited under: `Marshal SS3F — Sam Ortiz`. */
export function peopleLabel(postId: string | undefined, person: string | undefined, controls: readonly string[] = []): string {
  const post = postId ? postById(postId)?.name ?? postId : '';
  const where = controls.length ? ` ${controls.join(', ')}` : '';
  const head = `${post}${where}`.trim();
  const who = person?.trim() ?? '';
  return head && who ? `${head} — ${who}` : head || who;
}
