/** The forms a leaked string could take in a file: as typed and width/composition-normalised. */
export function needles(secret: string): Buffer[] {
  const forms = new Set([secret, secret.normalize('NFKC'), secret.normalize('NFC'), secret.normalize('NFD')]);
  return [...forms].map((f) => Buffer.from(f, 'utf8'));
}
