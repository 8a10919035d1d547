/**
 * An agent program for tests, shaped like Claude Code's screens (run it as `claude`, with --no-mcp).
 * Idle at its prompt; each submitted line goes to $FAKE_LOG as one JSON
 * string (so any escape byte that got through shows), then it works a moment
 * and is idle again.
 */
export const PROMPT_AGENT = `#!/usr/bin/env python3
import json, os, sys, time, tty
tty.setraw(0)
RULE = '\\u2500' * 40
def show(footer):
    sys.stdout.write('\\x1b[2J\\x1b[H' + 'fake agent\\r\\n' + RULE + '\\r\\n\\u276f \\r\\n' + RULE + '\\r\\n' + footer)
    sys.stdout.flush()
show('  ? for shortcuts')
pending = b''
while True:
    data = os.read(0, 65536)
    if not data:
        break
    pending += data
    while b'\\r' in pending:
        line, pending = pending.split(b'\\r', 1)
        with open(os.environ['FAKE_LOG'], 'a') as log:
            log.write(json.dumps(line.decode('utf-8', 'replace')) + '\\n')
        show('  esc to interrupt')
        time.sleep(0.3)
        show('  ? for shortcuts')
`;
