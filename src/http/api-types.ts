// The request and response shapes of openapi.yaml under the names a consumer looks for, aliases of
// the types openapi-typescript generates from the spec (openapi-types.ts, `npm run types:spec`).
import type { components } from './openapi-types.js'

type Schemas = components['schemas']

/** One delivery attempt of an agent webhook, as `GET …/logs` lists it. */
export type WebhookLog = Schemas['WebhookLog']
/** A page of agent webhook logs: `{ success, data: WebhookLog[], pagination }`. */
export type LogsPage = Schemas['WebhookLogPage']
export type Pagination = Schemas['Pagination']
export type WebhookLogStatus = Schemas['WebhookLogStatus']
/** One delivery attempt of a campaign webhook. */
export type CampaignWebhookLog = Schemas['CampaignWebhookLog']
export type CampaignLogsPage = Schemas['CampaignWebhookLogPage']
/** An agent webhook's settings as the API shows them. */
export type Webhook = Schemas['AgentWebhook']
export type WebhookList = Schemas['AgentWebhookList']
export type WebhookCreate = Schemas['AgentWebhookCreate']
export type CampaignWebhook = Schemas['CampaignWebhookDetails']
export type CampaignWebhookCreate = Schemas['CampaignWebhookCreate']
export type RetryQueued = Schemas['RetryQueued']
export type WebhookTestResult = Schemas['WebhookTestResult']
/** `{ success: false, message }`: the API's error body. */
export type Failure = Schemas['Failure']
/** Laravel's 422: `{ message, errors: { field: [sentences] } }`. */
export type ValidationError = Schemas['ValidationError']
export type LogNotRetriable = Schemas['LogNotRetriable']
export type MessageOnly = Schemas['MessageOnly']
/** One entry of the mock's request journal (`GET /__mock/requests`). */
export type MockRequest = Schemas['MockRequest']
export type MockConfig = Schemas['MockConfig']
export type MockConfigPatch = Schemas['MockConfigPatch']
export type MockDelivery = Schemas['MockDelivery']
