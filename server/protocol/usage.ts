// Params and result schemas of the request log, usage and cost, spend limits and user secrets (the table is
// in methods.ts). Days are the user's local days: `from`/`to` are local dates, the server's time zone is the OS's.
import { z } from 'zod';
import { CHAT_ERROR_KINDS, CostSummaryRowSchema } from './types';

const id = (field: string) => z.string({ error: `${field} is required.` }).min(1, `${field} is required.`);
const localDate = (field: string) => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, `${field} must be a date like 2026-12-31.`)
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00`)), `${field} is not a real date.`);

// ---- usage and cost ----
export const CostSummaryParams = z.object({
  group_by: z.enum(['chat', 'model', 'day'], { error: 'group_by must be chat, model or day.' }),
  /** A root chat: its own requests and its subagents'. */
  chat_id: z.string().min(1).optional(),
  /** First and last local day, inclusive (default: the last 30 days). */
  from: localDate('from').optional(),
  to: localDate('to').optional(),
  /** The seed's RFC3339 bounds; `from`/`to` win when both are given. */
  start_date: z.iso.datetime({ offset: true, error: 'start_date must be an RFC3339 time.' }).optional(),
  end_date: z.iso.datetime({ offset: true, error: 'end_date must be an RFC3339 time.' }).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
});
export const CostSummaryResultSchema = z.object({
  /** The OS time zone the days are in. */
  time_zone: z.string(),
  from: z.string(),
  to: z.string(),
  rows: z.array(CostSummaryRowSchema),
  total: CostSummaryRowSchema,
});
export type CostSummaryResult = z.infer<typeof CostSummaryResultSchema>;

// ---- the request log ----
export const REQUEST_KINDS = ['chat', 'title', 'compaction', 'sampling', 'test'] as const;
export const REQUEST_OUTCOMES = ['ok', 'error', 'retried'] as const;
export const ListModelRequestsParams = z.object({
  chat_id: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  provider_name: z.string().min(1).optional(),
  outcome: z.enum(REQUEST_OUTCOMES, { error: 'outcome must be ok, error or retried.' }).optional(),
  kind: z.enum(REQUEST_KINDS, { error: `kind must be one of: ${REQUEST_KINDS.join(', ')}.` }).optional(),
  from: localDate('from').optional(),
  to: localDate('to').optional(),
  /** Older than this request id (the next page). */
  before_id: z.number().int().positive().optional(),
  limit: z.number().int().min(1, 'limit must be at least 1.').max(500, 'limit must be at most 500.').optional(),
});
export const ModelRequestSchema = z.object({
  id: z.number().int(),
  chat_id: z.string().nullable(),
  chat_title: z.string().nullable(),
  message_id: z.number().int().nullable(),
  /** Requests of one session: the client's session key, else the chat tree's root, else the request itself. */
  session_key: z.string(),
  kind: z.enum(REQUEST_KINDS),
  provider: z.string(),
  provider_name: z.string(),
  model: z.string(),
  api: z.string(),
  credential_kind: z.string(),
  /** At most the key's last 4 characters. */
  credential_hint: z.string().nullable(),
  input_tokens: z.number().int().nullable(),
  output_tokens: z.number().int().nullable(),
  reasoning_tokens: z.number().int().nullable(),
  cache_read_input_tokens: z.number().int().nullable(),
  cache_write_input_tokens: z.number().int().nullable(),
  cost_micros: z.number().int().nullable(),
  started_at: z.string(),
  duration_ms: z.number().int().nullable(),
  ttft_ms: z.number().int().nullable(),
  status_code: z.number().int().nullable(),
  /** `retried`: this attempt failed and another followed. */
  outcome: z.enum(REQUEST_OUTCOMES),
  error_kind: z.enum(CHAT_ERROR_KINDS).nullable(),
  error: z.string().nullable(),
  attempt: z.number().int(),
});
export type ModelRequest = z.infer<typeof ModelRequestSchema>;
export const ModelRequestsPageSchema = z.object({ requests: z.array(ModelRequestSchema), next_before_id: z.number().int().nullable() });
export type ModelRequestsPage = z.infer<typeof ModelRequestsPageSchema>;

// ---- spend limits ----
export const SpendLimitSchema = z.object({
  period: z.enum(['day', 'month']),
  limit_micros: z.number().int(),
  spent_micros: z.number().int(),
  resets_at: z.string(),
});
export type SpendLimit = z.infer<typeof SpendLimitSchema>;
export const SpendStatusSchema = z.object({
  time_zone: z.string(),
  today_micros: z.number().int(),
  month_micros: z.number().int(),
  /** Requests today that had no price (their cost is unknown, not zero). */
  today_unpriced_requests: z.number().int(),
  limits: z.array(SpendLimitSchema),
  /** The first limit reached: new turns do not start a request until it resets. */
  exceeded: SpendLimitSchema.nullable(),
});
export type SpendStatus = z.infer<typeof SpendStatusSchema>;

// ---- user secrets ----
const envVar = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'env_var must be an environment variable name (letters, digits, _).').max(200);
const secretFile = z.string().min(1).max(200)
  .refine((p) => !p.startsWith('/') && !p.startsWith('~') && !p.split(/[\\/]/).includes('..'), 'file_path must be a relative file name (it is written to a private folder of the command).');
const secretName = z.string({ error: 'name is required.' }).trim().min(1, 'name is required.').max(100, 'name must be at most 100 characters.')
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'name may hold letters, digits, spaces, ".", "_" and "-".');
const secretValue = z.string().min(1, 'value must not be empty.').max(65536, 'value must be at most 65536 bytes.');
export const UserSecretSchema = z.object({
  id: z.string(),
  name: z.string(),
  env_var: z.string().nullable(),
  file_path: z.string().nullable(),
  /** Workspaces (paths) whose chats get it; `*`: every workspace. */
  workspaces: z.array(z.string()),
  /** Chats it is enabled for besides those workspaces. */
  chat_ids: z.array(z.string()),
  /** Whether this process holds its value (from SecretStorage). */
  has_value: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type UserSecret = z.infer<typeof UserSecretSchema>;
const secretFields = {
  env_var: envVar.nullable().optional(),
  file_path: secretFile.nullable().optional(),
  workspaces: z.array(z.string().min(1)).max(100).optional(),
};
/** The host writes the value to SecretStorage first, then sends this; the id names the SecretStorage entry. */
export const CreateUserSecretParams = z.object({ id: id('id'), name: secretName, value: secretValue, ...secretFields })
  .refine((p) => p.env_var || p.file_path, { message: 'env_var or file_path is required: how would a command get the secret?', path: ['env_var'] });
export const UpdateUserSecretParams = z.object({ secret_id: id('secret_id'), name: secretName.optional(), value: secretValue.optional(), ...secretFields });
export const UserSecretIdParams = z.object({ secret_id: id('secret_id') });
/** At start: the values the host holds in SecretStorage, for this process's memory only. */
export const SetUserSecretValuesParams = z.object({ values: z.array(z.object({ secret_id: id('secret_id'), value: secretValue })).max(1000) });
export const SetChatSecretsParams = z.object({ chat_id: id('chat_id'), secret_ids: z.array(z.string().min(1)).max(100) });
export const ListSecretAuditParams = z.object({ secret_id: z.string().min(1).optional(), limit: z.number().int().min(1).max(1000).optional() });
export const SecretAuditEntrySchema = z.object({
  id: z.number().int(),
  secret_id: z.string(),
  secret_name: z.string(),
  action: z.enum(['create', 'update', 'delete']),
  /** The OS user the server runs as. */
  actor: z.string(),
  /** Field names; `value` means the value changed (it is never recorded). */
  changed_fields: z.array(z.string()),
  at: z.string(),
});
export type SecretAuditEntry = z.infer<typeof SecretAuditEntrySchema>;
