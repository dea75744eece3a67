// The `--help` text of `talkover-mock check-receiver`.
import { DEFAULT_TIMEOUT_S } from './run.js'

/** What `talkover-mock check-receiver --help` prints. */
export const CHECK_HELP = [
  'Usage: talkover-mock check-receiver --url <receiver> --secret <whsec_…> [options]',
  '       talkover-mock check-receiver --webhook <agent_id>/<webhook_id> [--from <mock url>] [options]',
  '',
  'Sends a short series of signed deliveries to a webhook receiver and reports, per check, what was',
  'sent, what it answered and the verdict. Exits 0 when every check passes (warnings allowed), 1 when',
  'one fails, 2 when the receiver could not be reached or the arguments are wrong.',
  '',
  'Options:',
  '  --url <url>                The receiver to check (loopback, or a host named with --allow).',
  '  --secret <secret>          Its webhook secret (whsec_… or any text) [env TALKOVER_WEBHOOK_SECRET].',
  "  --method <method>          POST (default), PUT or PATCH, as a webhook's http_method.",
  "  --header '<name>: <value>' A custom header sent with every request (repeatable); its value is never shown.",
  "  --webhook <owner>/<id>     Check a running mock's webhook instead: its URL, secret, method and headers.",
  '  --campaign                 The webhook is a campaign webhook.',
  '  --from <url>               The running mock, default http://127.0.0.1:4010 [env TALKOVER_MOCK_URL].',
  '  --session <id>             The X-Mock-Session whose webhook to check.',
  "  --admin-token <secret>     The mock's --admin-token [env TALKOVER_MOCK_ADMIN_TOKEN].",
  `  --timeout <seconds>        Deadline of each request (default the webhook's timeout, else ${DEFAULT_TIMEOUT_S}).`,
  '  --allow <host[:port],…>    Hosts besides loopback that --url may reach (a mock uses its --deliver-allow).',
  '  --format <format>          table (default), json or junit.',
  '  --help                     Show this help.',
].join('\n')
