/** Which events a destination receives: an event matches when it is in every list given. */
export type Filter = { carriers?: string[]; statuses?: string[]; types?: string[] };
