/**
 * A process that claims a dispatch key, marks it spawning, says so on stdout,
 * then waits to be killed: the parent SIGKILLs it "mid-spawn" and checks what
 * the ledger file holds. Arguments: ledger file, key.
 */
import { DispatchLedger } from '../../server/src/spawn/dispatchLedger';

const [file, key] = process.argv.slice(2);
const quiet = { error() {}, warn() {}, info() {}, debug() {} };
const ledger = new DispatchLedger(file, { log: quiet });
const result = ledger.claim(key, { spawner: 'test', attempt: process.pid });
if (result.claimed) ledger.markSpawning(key);
process.stdout.write(`${result.claimed ? 'claimed' : 'taken'}\n`);
setInterval(() => {}, 60_000);
