// receiver.mjs: a Talkover webhook receiver that passes every check of
// `talkover-mock check-receiver` (docs/receiver.md shows this file verbatim).
import { createServer } from 'node:http'
import { Webhook } from 'standardwebhooks'

const wh = new Webhook(process.env.WEBHOOK_SECRET ?? 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')
const seen = new Set() // webhook-ids already handled: keep them in your database in production

// A Map, not an object: webhook-event is not signed, so a name like __proto__ must find nothing.
const handlers = new Map([['event_phone_call_ended', (event) => console.log('call ended', event.call_id)]])

const server = createServer((req, res) => {
  const chunks = []
  req.on('data', (chunk) => chunks.push(chunk))
  req.on('end', () => {
    const raw = Buffer.concat(chunks).toString('utf8') // the exact bytes that were signed
    let event
    try {
      // Checks the signature (any one of a rotated list) and that the timestamp is within 5 minutes.
      event = wh.verify(raw, req.headers)
    } catch {
      return res.writeHead(401).end('invalid signature')
    }
    const id = req.headers['webhook-id']
    if (!seen.has(id)) {
      seen.add(id)
      // The event's name travels in the webhook-event header, which the signature does not cover: route on
      // it only after verifying, as an untrusted key. Unknown events are acknowledged and ignored.
      // Slow work belongs in a queue: answer within the webhook's timeout.
      handlers.get(req.headers['webhook-event'])?.(event)
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}')
  })
})
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`receiver listening on http://127.0.0.1:${server.address().port}`)
})
