import type {ProfileSpec} from './index.js';

/**
 * GitHub's GraphQL API answers its primary rate limit with a 200 whose `errors` say
 * `"type": "RATE_LIMITED"`: read as `throttled`, waiting for `x-ratelimit-reset`.
 *
 * @example
 * import {createFetch, createProfile} from 'http-verdict';
 * import {githubGraphql} from 'http-verdict/presets';
 * const fetch = createFetch({profile: createProfile(githubGraphql)});
 */
export const githubGraphql: Readonly<ProfileSpec>;

/**
 * Shopify's Admin GraphQL API answers a throttled query with `"code": "THROTTLED"` in its errors
 * (status 200, by most reports; 429 too): read as `throttled`.
 */
export const shopifyGraphql: Readonly<ProfileSpec>;
