// Endpoints of the console back end (issue 11) typed by hand from its documented contract until
// they appear in the generated document; each goes once `npm run console:generate` picks it up.
import type { paths as generatedPaths } from './generated/gateway-api';

type Json<T> = { content: { 'application/json': T } };
type Errors = { default: Json<{ error: string; message: string }> };
type NoParameters = { query?: never; header?: never; path?: never; cookie?: never };

type MessageFilterQuery = {
  phone?: string;
  templateId?: string;
  templateType?: string;
  label?: string;
  smsUser?: string;
  status?: string;
  reason?: string;
  from?: string;
  to?: string;
};

type MessagePage =
  generatedPaths['/v1/messages']['get']['responses'][200]['content']['application/json'];
type MessageWithLog =
  generatedPaths['/v1/messages/{messageId}']['get']['responses'][200]['content']['application/json'];

export interface pendingPaths {
  '/v1/admin/messages': {
    parameters: NoParameters;
    get: {
      parameters: {
        query?: MessageFilterQuery & { accountId?: string; pageSize?: string; pageToken?: string };
      };
      responses: { 200: Json<MessagePage> } & Errors;
    };
  };
  '/v1/admin/messages/{messageId}': {
    parameters: NoParameters;
    get: {
      parameters: { path: { messageId: string } };
      responses: { 200: Json<MessageWithLog> } & Errors;
    };
  };
}
