// Placeholder: createFetch lands here (issue 4).
export {};
