// A small JSON Schema checker for the subset the OpenAPI document uses (type, enum, properties, required,
// additionalProperties, items, anyOf, $ref into #/components/schemas): answers the list of problems,
// each with the JSON path where it was found.
export function checkSchema(doc, schema, value, path = '$', out = []) {
  if (!schema || typeof schema !== 'object') return out;
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    if (!target) out.push(`${path}: unknown $ref ${schema.$ref}`);
    else checkSchema(doc, target, value, path, out);
    return out;
  }
  if (schema.anyOf) {
    const ok = schema.anyOf.some((s) => checkSchema(doc, s, value, path, []).length === 0);
    if (!ok) out.push(`${path}: matches none of anyOf (${JSON.stringify(value)?.slice(0, 80)})`);
    return out;
  }
  const types = schema.type === undefined ? null : [].concat(schema.type);
  const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array'
    : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v);
  if (types) {
    const t = typeOf(value);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) {
      out.push(`${path}: ${t}, not ${types.join('|')}`);
      return out;
    }
  }
  if (schema.enum && !schema.enum.includes(value)) out.push(`${path}: ${JSON.stringify(value)} not in ${schema.enum.join(', ')}`);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const k of schema.required || []) if (!(k in value)) out.push(`${path}: missing ${k}`);
    for (const [k, v] of Object.entries(value)) {
      if (schema.properties && k in schema.properties) checkSchema(doc, schema.properties[k], v, `${path}.${k}`, out);
      else if (schema.additionalProperties === false) out.push(`${path}: unexpected ${k}`);
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        checkSchema(doc, schema.additionalProperties, v, `${path}.${k}`, out);
      } else if (schema.properties && schema.type === 'object' && !schema.additionalProperties) {
        out.push(`${path}: ${k} is not in the schema`);
      }
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => checkSchema(doc, schema.items, v, `${path}[${i}]`, out));
  return out;
}
