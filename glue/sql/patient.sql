-- resource_type: Patient
-- Curates Patient resources into the patient table.
-- Generated from shared/curation/tables.json by `npm run generate`.
SELECT
  json_extract_string(json, '$.id') AS "id",
  json_extract_string(json, '$.identifier[0].value') AS "mrn",
  json_extract_string(json, '$.name[0].family') AS "family_name",
  json_extract_string(json, '$.name[0].given[0]') AS "given_name",
  json_extract_string(json, '$.gender') AS "gender",
  json_extract_string(json, '$.birthDate') AS "birth_date",
  coalesce(json_extract_string(json, '$.deceasedDateTime'), json_extract_string(json, '$.deceasedBoolean')) AS "deceased",
  json_extract_string(json, '$.address[0].postalCode') AS "postal_code",
  json_extract_string(json, '$.address[0].state') AS "state",
  json_extract_string(json, '$.maritalStatus.coding[0].code') AS "marital_status",
  json_extract_string(json, '$.communication[0].language.coding[0].code') AS "language_code",
  json_extract_string(json, '$.link[0].type') AS "link_type",
  json_extract_string(json, '$.link[0].other.identifier.value') AS "link_identifier",
  json_extract_string(json, '$.link[0].other.reference') AS "link_reference",
  json::VARCHAR AS resource_json,
  {{drop_id}} AS drop_id,
  {{source_key}} AS source_key
FROM read_ndjson_objects({{staged_path}})
WHERE json_extract_string(json, '$.resourceType') = 'Patient'
