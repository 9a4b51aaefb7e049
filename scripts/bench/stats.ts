/** The middle value of the runs of one measurement (the lower of the two middle ones for an even count). */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
}
