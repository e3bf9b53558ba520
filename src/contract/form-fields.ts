const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function coerce(value: string, type: string | undefined): unknown {
  if ((type === 'number' || type === 'integer') && NUMBER.test(value.trim())) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/**
 * Multipart text fields arrive as strings; the contract types them (numbers, booleans, repeated
 * fields as arrays). This reads each value as its declared type for validation; a value that does
 * not read as its type stays a string, so validation names it. What goes upstream is unchanged.
 */
export function typedFormFields(
  fields: Record<string, string | string[]>,
  types: Record<string, string>,
): Record<string, unknown> {
  const typed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    const type = types[name];
    if (type === 'array') typed[name] = Array.isArray(value) ? value : [value];
    else if (Array.isArray(value)) typed[name] = value.map((item) => coerce(item, type));
    else typed[name] = coerce(value, type);
  }
  return typed;
}
