// Schema migrations for the SQLite store. Append only: a released migration never changes;
// `schema_migrations` records which ones a database has, so old stores upgrade in place.

import { FTS_WORDS_FUNCTION } from './fts-words.ts';

export type Migration = { version: number; name: string; sql: string };

/**
 * Secondary indexes of the big tables. A bulk load drops them and builds them once at the end
 * (a sort instead of millions of random page writes: 2-3x faster ingest). Readers recreate any
 * that a crashed bulk load left missing.
 */
export const DEFERRABLE_INDEXES: readonly { name: string; sql: string }[] = [
  { name: 'messages_by_sender', sql: 'CREATE INDEX IF NOT EXISTS messages_by_sender ON messages(sender_id)' },
  { name: 'messages_by_conversation', sql: 'CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages(conversation_id)' },
  // lang: alone matches a large share of a dataset; without an index its count reads every row
  { name: 'messages_by_lang', sql: 'CREATE INDEX IF NOT EXISTS messages_by_lang ON messages(lang)' },
  // the entities of one message (lode show, the account profile)
  { name: 'mentions_by_item', sql: 'CREATE INDEX IF NOT EXISTS mentions_by_item ON mentions(item_key)' },
  // site dumps: millions of events and exposures
  { name: 'events_by_account', sql: 'CREATE INDEX IF NOT EXISTS events_by_account ON events(account_id)' },
  { name: 'exposures_by_identifier', sql: 'CREATE INDEX IF NOT EXISTS exposures_by_identifier ON exposures(identifier)' },
];

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'core model: datasets, sources, accounts, devices, conversations, messages, full text',
    sql: `
      CREATE TABLE datasets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT,
        legal_basis TEXT,
        created_at TEXT NOT NULL
      );
      CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id),
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        format TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ingesting', 'complete')),
        records INTEGER NOT NULL DEFAULT 0,
        quarantined INTEGER NOT NULL DEFAULT 0,
        checkpoint_line INTEGER NOT NULL DEFAULT 0,
        checkpoint_offset INTEGER NOT NULL DEFAULT 0,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        UNIQUE (dataset_id, sha256)
      );
      CREATE TABLE accounts (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id),
        platform TEXT NOT NULL,
        handle TEXT NOT NULL,
        handle_folded TEXT NOT NULL,
        name TEXT,
        extra TEXT,
        source_id INTEGER,
        line INTEGER,
        UNIQUE (dataset_id, platform, handle)
      );
      CREATE INDEX accounts_by_folded_handle ON accounts(handle_folded);
      CREATE TABLE devices (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id),
        imei TEXT,
        model TEXT,
        UNIQUE (dataset_id, imei, model)
      );
      CREATE TABLE account_devices (
        account_id INTEGER NOT NULL REFERENCES accounts(id),
        device_id INTEGER NOT NULL REFERENCES devices(id),
        since TEXT,
        source_id INTEGER NOT NULL,
        line INTEGER NOT NULL,
        PRIMARY KEY (account_id, device_id)
      ) WITHOUT ROWID;
      CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id),
        platform TEXT NOT NULL,
        key TEXT NOT NULL,
        is_group INTEGER NOT NULL DEFAULT 0,
        name TEXT,
        members TEXT,
        UNIQUE (dataset_id, platform, key)
      );
      CREATE TABLE contacts (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id),
        owner_id INTEGER NOT NULL REFERENCES accounts(id),
        contact_id INTEGER NOT NULL REFERENCES accounts(id),
        alias TEXT NOT NULL DEFAULT '',
        alias_folded TEXT NOT NULL DEFAULT '',
        extra TEXT,
        source_id INTEGER NOT NULL,
        line INTEGER NOT NULL,
        UNIQUE (owner_id, contact_id, alias)
      );
      CREATE INDEX contacts_by_contact ON contacts(contact_id);
      -- The rowid is a time key (seconds << 20 | disambiguator), so "newest first" is the
      -- index order of both this table and the full-text index: no query sorts its hits.
      CREATE TABLE messages (
        rowid INTEGER PRIMARY KEY,
        -- the public id; it carries the time, so it is found through the rowid (no index)
        uid TEXT NOT NULL,
        kind INTEGER NOT NULL,
        dataset_id INTEGER NOT NULL,
        source_id INTEGER NOT NULL,
        line INTEGER NOT NULL,
        byte_offset INTEGER NOT NULL,
        ref TEXT,
        platform TEXT NOT NULL,
        conversation_id INTEGER NOT NULL,
        sender_id INTEGER NOT NULL,
        recipients TEXT,
        ts TEXT,
        ts_ms INTEGER,
        body TEXT NOT NULL,
        lang TEXT,
        has_attachment INTEGER NOT NULL DEFAULT 0,
        attachments TEXT,
        extra TEXT,
        flags TEXT
      );
      -- Who takes part in a conversation (senders and recipients). Together with the sender and
      -- the recipients column this answers to: without a row per recipient per message, which
      -- cost a seventh of ingest time and a fifth of the store.
      CREATE TABLE conversation_members (
        account_id INTEGER NOT NULL,
        conversation_id INTEGER NOT NULL,
        PRIMARY KEY (account_id, conversation_id)
      ) WITHOUT ROWID;
      CREATE VIRTUAL TABLE message_fts USING fts5(
        body, content='messages', content_rowid='rowid',
        tokenize = 'unicode61 remove_diacritics 2'
      );
      -- merge segments in larger steps: measured 8% faster bulk loads (docs/BENCH.md)
      INSERT INTO message_fts (message_fts, rank) VALUES ('automerge', 8);
      CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        dataset_id INTEGER NOT NULL,
        source_id INTEGER NOT NULL,
        line INTEGER NOT NULL,
        byte_offset INTEGER NOT NULL,
        ref TEXT,
        platform TEXT NOT NULL,
        account_id INTEGER NOT NULL,
        type TEXT NOT NULL,
        ts TEXT,
        ts_ms INTEGER,
        fields TEXT
      );
      CREATE INDEX events_by_account ON events(account_id);
      CREATE TABLE quarantine (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL,
        source_id INTEGER NOT NULL,
        line INTEGER NOT NULL,
        byte_offset INTEGER NOT NULL,
        reason TEXT NOT NULL,
        excerpt TEXT NOT NULL,
        UNIQUE (source_id, line)
      );
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      -- Folded words of the index, by length, for fuzzy expansion (kilo~1).
      CREATE TABLE vocabulary (
        length INTEGER NOT NULL,
        term TEXT NOT NULL,
        PRIMARY KEY (length, term)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'credential exposures, archive members, several quarantined records on one line, message fingerprints',
    sql: `
      CREATE TABLE exposures (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id),
        source_id INTEGER NOT NULL,
        line INTEGER NOT NULL,
        byte_offset INTEGER NOT NULL,
        platform TEXT NOT NULL,
        identifier TEXT NOT NULL,
        identifier_type TEXT NOT NULL,
        data_classes TEXT NOT NULL,
        password_sha1 TEXT,
        password_ntlm TEXT,
        hash_type TEXT,
        account_id INTEGER,
        extra TEXT
      );
      -- the victim check looks up one identifier; the range API one hash prefix
      CREATE INDEX exposures_by_identifier ON exposures(identifier);
      CREATE INDEX exposures_by_sha1 ON exposures(password_sha1) WHERE password_sha1 IS NOT NULL;
      CREATE INDEX exposures_by_ntlm ON exposures(password_ntlm) WHERE password_ntlm IS NOT NULL;
      -- a file inside an archive: the archive's hash and the member's path in it
      ALTER TABLE sources ADD COLUMN container_sha256 TEXT;
      ALTER TABLE sources ADD COLUMN member_path TEXT;
      -- rows of one extended INSERT share a line: they differ by offset
      CREATE TABLE quarantine_v2 (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL,
        source_id INTEGER NOT NULL,
        line INTEGER NOT NULL,
        byte_offset INTEGER NOT NULL,
        reason TEXT NOT NULL,
        excerpt TEXT NOT NULL,
        UNIQUE (source_id, line, byte_offset)
      );
      INSERT INTO quarantine_v2 SELECT * FROM quarantine;
      DROP TABLE quarantine;
      ALTER TABLE quarantine_v2 RENAME TO quarantine;
      -- near-duplicate detection (lode duplicates): equal for the same folded words
      ALTER TABLE messages ADD COLUMN fingerprint INTEGER;
    `,
  },
  {
    version: 3,
    name: 'entities and their mentions, derived-item tool runs, account links and persons',
    sql: `
      -- what produced derived items (entities, links...): component and version, for the court
      CREATE TABLE toolruns (
        id INTEGER PRIMARY KEY,
        component TEXT NOT NULL,
        version TEXT NOT NULL,
        UNIQUE (component, version)
      );
      CREATE TABLE entities (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id),
        type TEXT NOT NULL,
        value TEXT NOT NULL,
        mentions INTEGER NOT NULL DEFAULT 0,
        UNIQUE (dataset_id, type, value)
      );
      CREATE INDEX entities_by_value ON entities(type, value);
      -- item_key: the message's rowid (its time key); span in UTF-16 code units of the body
      CREATE TABLE mentions (
        entity_id INTEGER NOT NULL,
        item_key INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        toolrun_id INTEGER NOT NULL,
        PRIMARY KEY (entity_id, item_key, start)
      ) WITHOUT ROWID;
      -- messages already passed through the entity extractor of a tool run (lode reindex --entities)
      CREATE TABLE entity_progress (
        dataset_id INTEGER NOT NULL,
        toolrun_id INTEGER NOT NULL,
        done_below_key INTEGER NOT NULL,
        PRIMARY KEY (dataset_id, toolrun_id)
      );
      -- links between accounts: proposed by evidence, decided by an analyst
      CREATE TABLE account_links (
        id INTEGER PRIMARY KEY,
        a_id INTEGER NOT NULL REFERENCES accounts(id),
        b_id INTEGER NOT NULL REFERENCES accounts(id),
        kind TEXT NOT NULL,
        score REAL NOT NULL,
        evidence TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'confirmed', 'rejected')),
        decided_by TEXT,
        decided_at TEXT,
        note TEXT,
        toolrun_id INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (a_id, b_id, kind),
        CHECK (a_id < b_id)
      );
      CREATE INDEX account_links_by_b ON account_links(b_id);
      CREATE TABLE persons (
        id INTEGER PRIMARY KEY,
        name TEXT,
        created_at TEXT NOT NULL
      );
      CREATE TABLE person_accounts (
        account_id INTEGER PRIMARY KEY REFERENCES accounts(id),
        person_id INTEGER NOT NULL REFERENCES persons(id)
      );
      CREATE INDEX person_accounts_by_person ON person_accounts(person_id);
      ALTER TABLE events ADD COLUMN flags TEXT;
      -- accounts that used the same handset, across datasets
      CREATE INDEX devices_by_imei ON devices(imei) WHERE imei IS NOT NULL;
      CREATE INDEX exposures_by_account ON exposures(account_id) WHERE account_id IS NOT NULL;
    `,
  },
  {
    version: 4,
    name: 'users, grants, sessions and the append-only, hash-chained audit log',
    sql: `
      -- the roles of src/model/security.ts as of this version; a later role needs a migration
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'investigator', 'privilege-reviewer', 'auditor', 'campaign-officer')),
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
      );
      CREATE TABLE grants (
        user_id INTEGER NOT NULL REFERENCES users(id),
        kind TEXT NOT NULL CHECK (kind IN ('dataset', 'case')),
        target TEXT NOT NULL,
        granted_by TEXT NOT NULL,
        granted_at TEXT NOT NULL,
        PRIMARY KEY (user_id, kind, target)
      ) WITHOUT ROWID;
      -- only the SHA-256 of a session's or token's secret: a copy of the file logs nobody in
      CREATE TABLE sessions (
        token_sha256 TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        kind TEXT NOT NULL CHECK (kind IN ('session', 'token')),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        last_used_at TEXT
      ) WITHOUT ROWID;
      CREATE INDEX sessions_by_user ON sessions(user_id);
      CREATE INDEX sessions_by_expiry ON sessions(expires_at);
      -- AUTOINCREMENT keeps the highest seq ever written in sqlite_sequence, which shows a cut
      -- tail that the chain alone cannot (its last remaining event still verifies)
      CREATE TABLE audit_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_events_by_actor ON audit_events(actor, seq);
      CREATE INDEX audit_events_by_action ON audit_events(action, seq);
      -- Append-only inside SQLite: changing the log needs DROP TRIGGER first, and the hash chain
      -- still shows the change afterwards.
      CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
      CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
      -- The value the first event links to: random per store, so a chain copied in from another
      -- store or rebuilt from scratch does not verify. One row, as unchangeable as the log.
      CREATE TABLE audit_genesis (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        hash TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      INSERT INTO audit_genesis (id, hash, created_at) VALUES (1, lower(hex(randomblob(32))), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
      CREATE TRIGGER audit_genesis_no_update BEFORE UPDATE ON audit_genesis
        BEGIN SELECT RAISE(ABORT, 'audit_genesis is fixed'); END;
      CREATE TRIGGER audit_genesis_no_delete BEFORE DELETE ON audit_genesis
        BEGIN SELECT RAISE(ABORT, 'audit_genesis is fixed'); END;
    `,
  },
  {
    version: 5,
    name: 'legal scope of datasets, privileged identifiers and privilege decisions',
    sql: `
      -- what a warrant authorises for a dataset; outside it only admins see messages
      CREATE TABLE dataset_scopes (
        dataset_id INTEGER PRIMARY KEY REFERENCES datasets(id),
        -- JSON array of the handles as the warrant writes them; NULL: every handle
        handles TEXT,
        from_ms INTEGER,
        -- exclusive
        to_ms INTEGER,
        warrant TEXT NOT NULL,
        set_by TEXT NOT NULL,
        set_at TEXT NOT NULL
      );
      -- The accounts a scope's handles name, and those that are a privileged party. Kept up to date
      -- when a scope or identifier changes and by every ingest batch, because matching a phone
      -- handle needs the phone normaliser, which SQL cannot run at query time.
      CREATE TABLE scope_accounts (
        account_id INTEGER PRIMARY KEY REFERENCES accounts(id),
        dataset_id INTEGER NOT NULL
      );
      CREATE TABLE privileged_identifiers (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('platform-handle', 'phone', 'email')),
        value TEXT NOT NULL,
        label TEXT,
        added_by TEXT NOT NULL,
        added_at TEXT NOT NULL,
        UNIQUE (kind, value)
      );
      CREATE TABLE privileged_accounts (
        account_id INTEGER NOT NULL REFERENCES accounts(id),
        identifier_id INTEGER NOT NULL REFERENCES privileged_identifiers(id),
        PRIMARY KEY (account_id, identifier_id)
      ) WITHOUT ROWID;
      -- item_key: the message's rowid (time key); one row per message, its latest decision (the
      -- audit log keeps the history)
      CREATE TABLE privilege_decisions (
        item_key INTEGER PRIMARY KEY,
        uid TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('withheld', 'released', 'destroyed')),
        decided_by TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        note TEXT
      );
    `,
  },
  {
    version: 6,
    name: 'triage findings and alerts, watchlists, cases with items, annotations and queries, discovery candidates',
    sql: `
      -- what a triage scorer found in a message (threat, leak), above zero only: the sparse
      -- input of alerts, case discovery and re-scoring. item_key: the message's rowid.
      CREATE TABLE findings (
        item_key INTEGER NOT NULL,
        kind TEXT NOT NULL,
        dataset_id INTEGER NOT NULL,
        score REAL NOT NULL,
        category TEXT,
        reasons TEXT NOT NULL,
        toolrun_id INTEGER NOT NULL,
        PRIMARY KEY (item_key, kind)
      ) WITHOUT ROWID;
      CREATE TABLE watchlists (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        query TEXT,
        -- JSON object: type -> normalised values; handles under 'handle'
        entities TEXT,
        dataset_id INTEGER REFERENCES datasets(id),
        priority REAL NOT NULL DEFAULT 0.7,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      -- messages stored since the watchlists last ran (filled only while a watchlist exists)
      CREATE TABLE watch_queue (item_key INTEGER PRIMARY KEY);
      CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('threat', 'leak', 'watchlist')),
        item_key INTEGER NOT NULL,
        dataset_id INTEGER NOT NULL,
        -- 0 for threat and leak alerts, so one message has one alert per kind and watchlist
        watchlist_id INTEGER NOT NULL DEFAULT 0,
        score REAL NOT NULL,
        category TEXT,
        reasons TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'acknowledged', 'escalated', 'dismissed')),
        assignee TEXT,
        toolrun_id INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (kind, item_key, watchlist_id)
      );
      CREATE INDEX alerts_by_rank ON alerts(score DESC, id);
      CREATE TABLE alert_notes (
        id INTEGER PRIMARY KEY,
        alert_id INTEGER NOT NULL REFERENCES alerts(id),
        author TEXT NOT NULL,
        at TEXT NOT NULL,
        text TEXT NOT NULL
      );
      CREATE INDEX alert_notes_by_alert ON alert_notes(alert_id);
      CREATE TABLE cases (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        title TEXT,
        description TEXT,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        candidate TEXT,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      -- ref: a message id, an account id, type:value of an entity, a person id
      CREATE TABLE case_items (
        case_id INTEGER NOT NULL REFERENCES cases(id),
        kind TEXT NOT NULL CHECK (kind IN ('message', 'account', 'entity', 'person')),
        ref TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]',
        added_by TEXT NOT NULL,
        added_at TEXT NOT NULL,
        PRIMARY KEY (case_id, kind, ref)
      ) WITHOUT ROWID;
      CREATE TABLE case_annotations (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        target_kind TEXT,
        target_ref TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('note', 'translation')),
        text TEXT NOT NULL,
        author TEXT NOT NULL,
        at TEXT NOT NULL
      );
      CREATE INDEX case_annotations_by_case ON case_annotations(case_id);
      CREATE TABLE case_queries (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        kind TEXT NOT NULL CHECK (kind IN ('query', 'wordlist', 'candidate')),
        text TEXT NOT NULL,
        dataset TEXT,
        hits INTEGER,
        added_by TEXT NOT NULL,
        at TEXT NOT NULL
      );
      -- the last discovery run's candidates (JSON) per dataset and view: 'all' for runs that saw the
      -- whole dataset, a user's name for runs limited by legal scope or privilege (seen only by them)
      CREATE TABLE case_candidates (
        id TEXT NOT NULL,
        view TEXT NOT NULL,
        dataset_id INTEGER NOT NULL,
        rank INTEGER NOT NULL,
        score REAL NOT NULL,
        candidate TEXT NOT NULL,
        toolrun_id INTEGER NOT NULL,
        found_at TEXT NOT NULL,
        PRIMARY KEY (id, view)
      );
    `,
  },
  {
    version: 7,
    name: 'intervention campaigns: recipients, letters, e-mails, history, re-offending',
    sql: `
      CREATE TABLE campaigns (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        title TEXT,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id),
        -- JSON CampaignCriteria: how the recipients were selected, kept with the campaign
        criteria TEXT NOT NULL,
        language TEXT NOT NULL,
        -- JSON CampaignSettings: site name, sender, legal text
        settings TEXT NOT NULL DEFAULT '{}',
        -- the prefix of the recipients' references
        code TEXT NOT NULL UNIQUE,
        toolrun_id INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      -- person: JSON CampaignPerson (accounts, identifiers, country evidence, activity) as selected
      CREATE TABLE campaign_recipients (
        id INTEGER PRIMARY KEY,
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
        seq INTEGER NOT NULL,
        reference TEXT NOT NULL UNIQUE,
        person TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('selected', 'letter-generated', 'letter-sent', 'email-sent', 'talk-scheduled', 'talk-held', 'no-response')),
        status_at TEXT NOT NULL,
        talk_at TEXT,
        talk_place TEXT,
        -- JSON LetterRecord of the last generated letter
        letter TEXT,
        email_to TEXT,
        email_state TEXT CHECK (email_state IN ('queued', 'sending', 'sent', 'failed', 'bounced')),
        email_attempts INTEGER NOT NULL DEFAULT 0,
        email_message_id TEXT,
        email_error TEXT,
        email_sent_at TEXT,
        email_bounced_at TEXT,
        email_bounce_reason TEXT,
        UNIQUE (campaign_id, seq)
      );
      CREATE INDEX campaign_recipients_by_message_id ON campaign_recipients(email_message_id) WHERE email_message_id IS NOT NULL;
      CREATE TABLE campaign_recipient_accounts (
        recipient_id INTEGER NOT NULL REFERENCES campaign_recipients(id),
        account_id INTEGER NOT NULL REFERENCES accounts(id),
        PRIMARY KEY (recipient_id, account_id)
      ) WITHOUT ROWID;
      CREATE TABLE campaign_history (
        id INTEGER PRIMARY KEY,
        recipient_id INTEGER NOT NULL REFERENCES campaign_recipients(id),
        status TEXT NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        note TEXT,
        details TEXT
      );
      CREATE INDEX campaign_history_by_recipient ON campaign_history(recipient_id);
      -- a recipient seen again in another dataset, with what matched
      CREATE TABLE campaign_reoffences (
        recipient_id INTEGER NOT NULL REFERENCES campaign_recipients(id),
        account_id INTEGER NOT NULL REFERENCES accounts(id),
        dataset_id INTEGER NOT NULL,
        matched TEXT NOT NULL,
        last_active TEXT,
        found_at TEXT NOT NULL,
        PRIMARY KEY (recipient_id, account_id)
      ) WITHOUT ROWID;
      -- how many sources of each dataset the re-offending check has read, so it reads a dataset again only when it grew
      CREATE TABLE campaign_scans (
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
        dataset_id INTEGER NOT NULL,
        sources INTEGER NOT NULL,
        PRIMARY KEY (campaign_id, dataset_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 8,
    name: 'the full-text index holds Lode\'s own words (src/store/sqlite/fts-words.ts), the same words as the PostgreSQL store\'s',
    sql: `
      DROP TABLE message_fts;
      -- contentless: the words are not text anyone reads (snippets are cut from the bodies), and
      -- a destroyed body is taken out with FTS5's 'delete' and the words it had
      CREATE VIRTUAL TABLE message_fts USING fts5(words, content='', tokenize = 'ascii');
      INSERT INTO message_fts (message_fts, rank) VALUES ('automerge', 8);
      INSERT INTO message_fts (rowid, words) SELECT rowid, ${FTS_WORDS_FUNCTION}(body) FROM messages;
    `,
  },
];
