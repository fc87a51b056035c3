import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { allCurationSql, renderSql } from '../../shared/curation/sql.ts';
import { REPO } from '../helpers/paths.ts';

const glueDir = new URL('glue/', REPO);

describe('Glue job sources', () => {
  it('ships the curation SQL exactly as the table spec generates it', async () => {
    const generated = allCurationSql();
    const files = (await readdir(new URL('sql/', glueDir))).sort();

    assert.deepEqual(
      files,
      [...generated.keys()].map((t) => `${t}.sql`).sort(),
    );
    for (const [table, sql] of generated) {
      assert.equal(
        await readFile(new URL(`sql/${table}.sql`, glueDir), 'utf8'),
        sql,
        `${table}.sql is stale: run npm run generate`,
      );
    }
  });

  it('fills SQL placeholders in Python exactly as local mode does', async () => {
    const template = allCurationSql().get('patient') as string;
    const params = {
      staged_path: "/tmp/o'brien/part.ndjson",
      drop_id: 'f'.repeat(32),
      source_key: "in/it's here.hl7",
    };
    const script = [
      'import json, sys',
      'sys.path.insert(0, sys.argv[1])',
      'import curate_drop',
      'data = json.load(sys.stdin)',
      "sys.stdout.write(curate_drop.render_sql(data['template'], data['params']))",
    ].join('\n');

    const python = execFileSync('python3', ['-c', script, glueDir.pathname], {
      input: JSON.stringify({ template, params }),
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    }).toString();

    assert.equal(python, renderSql(template, params));
  });
});
