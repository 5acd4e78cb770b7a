import { createApi } from '../api/client';
import { Session } from '../api/session';

/** The contact's session of this page and the API client that uses it. */
export const session = new Session('portal');
export const api = createApi(session);

// Which firm's sign-in page to return to after signing out (the firm's slug is not a secret).
const FIRM_KEY = 'cp.portal.firm';
export const rememberFirm = (slug: string) => localStorage.setItem(FIRM_KEY, slug);
export const rememberedFirm = () => localStorage.getItem(FIRM_KEY);
