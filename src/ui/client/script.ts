// The dashboard's client script: the client functions of this folder, sent as their own source
// text and called in order. No bundler and no build step: TypeScript checks them like any other
// file, and whatever compiled this module (tsc for dist/, Vite in the tests) compiled them too.
import { clockPanel } from './clock.js'
import { core } from './core.js'
import { deliveriesView } from './deliveries.js'
import { deliveryDetail } from './delivery-detail.js'
import { faultsView } from './faults.js'
import { logsPanel } from './logs.js'
import { receiverCheckPanel } from './receiver-check.js'
import { replay } from './replay.js'
import { requestDetail } from './request-detail.js'
import { requestsFilter } from './requests-filter.js'
import { requestsView } from './requests.js'
import { worldView } from './world.js'

/**
 * The script served at /__mock/ui/app.js. A new view adds its function here.
 * @example
 * clientScript() //=> '"use strict";\n{\nconst ui = (function core() {…})();\n…'
 */
export function clientScript(): string {
  return [
    '"use strict";',
    '{',
    `const ui = (${core})();`,
    `(${requestsView})(ui, (${requestDetail})(ui, (${replay})(ui)), (${requestsFilter})(ui));`,
    `(${worldView})(ui, (${logsPanel})(ui), (${clockPanel})(ui), (${receiverCheckPanel})(ui));`,
    `(${deliveriesView})(ui, (${deliveryDetail})(ui));`,
    `(${faultsView})(ui);`,
    '}',
    '',
  ].join('\n')
}
