// The public surface, shared by the Node and the web entries.
export {classify, classifyError, codes, createProfile, Profile} from './verdict.js';
export {ClientState, plan, RetryPolicy} from './policy.js';
export * from './fetch.js';
