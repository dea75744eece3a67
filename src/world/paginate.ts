// Laravel length-aware pagination math. Pure.

export interface PageWindow {
  /** Index of the first row of the page in the whole sequence. */
  offset: number
  /** Number of rows on the page (0 past the last page). */
  count: number
  pagination: { current_page: number; per_page: number; total: number; last_page: number }
}

/**
 * Which rows page `page` of `total` rows holds.
 * @example
 * paginate(247, 5, 50) //=> { offset: 200, count: 47, pagination: { current_page: 5, per_page: 50, total: 247, last_page: 5 } }
 */
export function paginate(total: number, page: number, perPage: number): PageWindow {
  const lastPage = Math.max(1, Math.ceil(total / perPage))
  const offset = (page - 1) * perPage
  const count = Math.max(0, Math.min(perPage, total - offset))
  return { offset, count, pagination: { current_page: page, per_page: perPage, total, last_page: lastPage } }
}
