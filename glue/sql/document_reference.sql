-- resource_type: DocumentReference
-- Curates DocumentReference resources into the document_reference table.
-- Generated from shared/curation/tables.json by `npm run generate`.
SELECT
  json_extract_string(json, '$.id') AS "id",
  regexp_extract(json_extract_string(json, '$.subject.reference'), '[^/]+$') AS "patient_id",
  json_extract_string(json, '$.status') AS "status",
  json_extract_string(json, '$.type.coding[0].code') AS "type_code",
  json_extract_string(json, '$.date') AS "document_date",
  json_extract_string(json, '$.content[0].attachment.contentType') AS "content_type",
  json_extract_string(json, '$.masterIdentifier.value') AS "master_identifier",
  json_extract_string(json, '$.docStatus') AS "doc_status",
  json_extract_string(json, '$.relatesTo[0].target.identifier.value') AS "parent_document",
  json_extract_string(json, '$.relatesTo[0].code') AS "parent_relation",
  json::VARCHAR AS resource_json,
  {{drop_id}} AS drop_id,
  {{source_key}} AS source_key
FROM read_ndjson_objects({{staged_path}})
WHERE json_extract_string(json, '$.resourceType') = 'DocumentReference'
