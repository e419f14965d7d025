// Addresses of a publication's official documents (docs/documents.md): the
// desk prints them, the notice board links the one it posts.

/** The classification overall and by class, as publication `n` declared it (PROVISIONAL or OFFICIAL). */
export function classificationPdf(rallyId: string, n: number): string {
  return `/api/rallies/${encodeURIComponent(rallyId)}/publications/${n}/documents/final-classification.pdf`;
}
