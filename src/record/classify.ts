// What kind of value a string is, when no allow-list keeps it: the key says it (`email`, `*_id`,
// `phone`, `first_name`, `host`) or its shape does (an address, a URL, an IP, a UUID, a date,
// digits). Decides which fake replaces it (anonymise.ts). Pure.
import { digitCount, type Kind } from './fakes.js'

const ID_KEY = /^(id|uuid|sid)$|[_-](id|uuid|sid)$|[a-z](Id|Uuid|Sid)$/
const EMAIL_KEY = /e-?mail/i
export const PHONE_KEY = /phone|msisdn|mobile|^(from|to|caller|callee|number|ani|dnis)$|_(number|phone)$/i
const NAME_KEY = /(^|_)(first|last|full|display|given|family|middle|customer|contact|caller|callee|user|person|lead|client|patient|recipient)?_?name$/i
const HOST_KEY = /^(host|hostname|domain|ip|ip_address|remote_addr|client_ip)$/i
const EMAIL_ONLY = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/
const URL_ONLY = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i
const IP_ONLY = /^\d{1,3}(?:\.\d{1,3}){3}$|^[0-9a-f]*:[0-9a-f:]+$/i
const HOST_ONLY = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$/i
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/
const DIGITS_ONLY = /^[\d\s().+/-]+$/

/**
 * The kind of fake that replaces a string under `key`.
 * @example
 * kindOf('contact_phone', '(11) 98765-4321') //=> 'phone_numbers'
 * kindOf('address', '221B Baker Street') //=> 'free_text'
 */
export function kindOf(key: string, value: string): Kind {
  if (EMAIL_KEY.test(key) || EMAIL_ONLY.test(value)) return EMAIL_ONLY.test(value) ? 'emails' : 'free_text'
  if (URL_ONLY.test(value)) return 'urls'
  if (IP_ONLY.test(value) && value.includes('.') !== value.includes(':')) return 'hosts'
  if ((PHONE_KEY.test(key) && digitCount(value) >= 7) || (/^\+[\d ().-]{7,20}$/.test(value) && digitCount(value) >= 7)) return 'phone_numbers'
  if (UUID.test(value) || ID_KEY.test(key)) return 'ids'
  if (NAME_KEY.test(key)) return 'names'
  if (HOST_KEY.test(key) || HOST_ONLY.test(value)) return 'hosts'
  if (DATE.test(value)) return 'dates'
  if (DIGITS_ONLY.test(value) && digitCount(value) >= 2) return 'numbers'
  return 'free_text'
}
