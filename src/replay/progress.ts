/** Something that can show how far a run is and print lines above itself. */
export interface Progress {
  tick(label: string): void;
  /** Prints a line of output without tearing the bar. */
  log(line: string): void;
  stop(): void;
}

/** Output only, no bar: for pipes, CI logs and short runs. */
export function plainProgress(write: (line: string) => void): Progress {
  return { tick: () => undefined, log: (line) => write(`${line}\n`), stop: () => undefined };
}

/**
 * A one-line progress bar on a terminal stream (stderr), redrawn in place; result lines go to
 * `out` (stdout) above it. Only for a TTY: escape codes in a CI log are noise.
 */
export function terminalProgress(total: number, bar: Pick<NodeJS.WriteStream, 'write' | 'columns'>, out: (text: string) => void): Progress {
  let done = 0;
  let label = '';
  const width = 30;
  const draw = () => {
    const filled = Math.round((done / Math.max(total, 1)) * width);
    const columns = bar.columns ?? 100;
    const head = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total} `;
    bar.write(`\r\x1b[2K${(head + label).slice(0, Math.max(columns - 1, head.length))}`);
  };
  return {
    tick(next) {
      done++;
      label = next;
      draw();
    },
    log(line) {
      bar.write('\r\x1b[2K');
      out(`${line}\n`);
      draw();
    },
    stop() {
      bar.write('\r\x1b[2K');
    },
  };
}
