// What a new API client must have: a name for people to recognise it, and known scopes.
import { API_SCOPES, isApiScope, type ApiScope } from '../../platform/auth/api-credentials.ts';

export type NewClientForm = { name: string; scopes: string[] };
export type CheckedClient = { value: { name: string; scopes: ApiScope[] } } | { errors: Record<string, string> };

export function checkNewClient(form: NewClientForm): CheckedClient {
  const errors: Record<string, string> = {};
  const name = form.name.trim();
  if (!name) errors.name = 'Enter a name that says which system uses these credentials';
  else if (name.length > 100) errors.name = 'The name must be 100 characters or fewer';
  const scopes = [...new Set(form.scopes.map((scope) => scope.trim()).filter(Boolean))];
  const unknown = scopes.filter((scope) => !isApiScope(scope));
  if (!scopes.length) errors.scopes = `Give at least one scope: ${API_SCOPES.join(', ')}`;
  else if (unknown.length) errors.scopes = `Unknown scope ${unknown.join(', ')}: use ${API_SCOPES.join(', ')}`;
  if (Object.keys(errors).length) return { errors };
  return { value: { name, scopes: scopes.filter(isApiScope) } };
}
