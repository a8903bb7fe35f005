/** Reading `projector serve`'s URL from its output, for the tests that start it. */
import type { ChildProcess } from 'node:child_process';

/** Reads the server's stdout until the URL line appears; fails if it exits first. */
export function urlFrom(child: ChildProcess): Promise<string> {
  return new Promise((ok, fail) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /^(http:\/\/127\.0\.0\.1:\d+\/\S*)$/m.exec(out);
      if (m) ok(m[1]);
    });
    child.once('exit', (code) => fail(new Error(`serve exited with ${code}: ${err || out}`)));
  });
}
