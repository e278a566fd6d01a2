// 'http-verdict/presets': profiles, as data, for APIs whose rate-limit answers the core cannot tell by
// itself, because they break HTTP's own rules: GitHub's and Shopify's GraphQL APIs answer a spent limit
// with a 200 and say so in the body. Pass one to createProfile(), or join several presets' rules.
// The same file (presets.json) is read by the dialect corpus tests, natively and through the package.
// No wasm here, and not part of the main entry.

import presets from './presets.json';

function frozen(value) {
	if (value !== null && typeof value === 'object') {
		for (const item of Object.values(value)) {
			frozen(item);
		}

		Object.freeze(value);
	}

	return value;
}

/** GitHub's GraphQL API: a 200 whose errors say `"type": "RATE_LIMITED"` is a throttle. */
export const githubGraphql = frozen(presets.githubGraphql);
/** Shopify's Admin GraphQL API: `"code": "THROTTLED"` in a 200 (or 429) is a throttle. */
export const shopifyGraphql = frozen(presets.shopifyGraphql);
