// Placeholder: createFetch's types land here (issue 4).
export {};
