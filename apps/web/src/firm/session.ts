import { createApi } from '../api/client';
import { Session } from '../api/session';

/** The staff session of this page and the API client that uses it. */
export const session = new Session('staff');
export const api = createApi(session);
