// Public surface of ipc/ for transports that do not load electron (the end-to-end bridge imports dispatch only).
export { createDispatch, senderCheck, toApiError, type Dispatch, type Sender } from './dispatch';
