CREATE TABLE actors (
	id VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	side VARCHAR, 
	role VARCHAR, 
	aliases VARCHAR NOT NULL, 
	ord INTEGER NOT NULL, 
	kind VARCHAR NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_actors_side ON actors (side);

CREATE TABLE citations (
	claim_id VARCHAR NOT NULL, 
	idx INTEGER NOT NULL, 
	source VARCHAR NOT NULL, 
	quote VARCHAR NOT NULL, 
	via VARCHAR, 
	note VARCHAR, 
	start INTEGER, 
	"end" INTEGER, 
	anchored BOOLEAN NOT NULL, 
	channel VARCHAR, 
	reported_by VARCHAR NOT NULL, 
	reported_on VARCHAR, 
	reported_on_inferred BOOLEAN NOT NULL, 
	PRIMARY KEY (claim_id, idx)
);

CREATE INDEX ix_citations_anchored ON citations (anchored);

CREATE INDEX ix_citations_source ON citations (source);

CREATE TABLE claims (
	id VARCHAR NOT NULL, 
	issue VARCHAR NOT NULL, 
	statement VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	"by" VARCHAR NOT NULL, 
	said_on VARCHAR NOT NULL, 
	said_on_sort VARCHAR NOT NULL, 
	said_on_inferred BOOLEAN NOT NULL, 
	said_on_note VARCHAR, 
	status VARCHAR NOT NULL, 
	tags VARCHAR NOT NULL, 
	said_on_first VARCHAR NOT NULL, 
	said_on_last VARCHAR NOT NULL, 
	"after" VARCHAR, 
	against VARCHAR NOT NULL, 
	answers VARCHAR NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_claims_by ON claims ("by");

CREATE INDEX ix_claims_issue ON claims (issue);

CREATE INDEX ix_claims_kind ON claims (kind);

CREATE INDEX ix_claims_said_on ON claims (said_on);

CREATE INDEX ix_claims_said_on_first ON claims (said_on_first);

CREATE INDEX ix_claims_said_on_last ON claims (said_on_last);

CREATE INDEX ix_claims_said_on_sort ON claims (said_on_sort);

CREATE INDEX ix_claims_status ON claims (status);

CREATE TABLE files (
	path VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	ident VARCHAR NOT NULL, 
	size INTEGER NOT NULL, 
	mtime_ns BIGINT NOT NULL, 
	sha256 VARCHAR NOT NULL, 
	problems VARCHAR NOT NULL, 
	PRIMARY KEY (path)
);

CREATE INDEX ix_files_left_out ON files (path) WHERE problems != '[]';

CREATE TABLE fulltext_rows (
	fts_rowid INTEGER NOT NULL, 
	ref VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	PRIMARY KEY (fts_rowid)
);

CREATE INDEX ix_fulltext_rows_ref ON fulltext_rows (ref);

CREATE TABLE issues (
	id VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	question VARCHAR NOT NULL, 
	summary VARCHAR, 
	tags VARCHAR NOT NULL, 
	PRIMARY KEY (id)
);

CREATE TABLE links (
	src VARCHAR NOT NULL, 
	type VARCHAR NOT NULL, 
	dst VARCHAR NOT NULL, 
	ord INTEGER NOT NULL, 
	basis VARCHAR NOT NULL, 
	note VARCHAR, 
	PRIMARY KEY (src, type, dst)
);

CREATE INDEX ix_links_dst ON links (dst);

CREATE TABLE meta (
	"key" VARCHAR NOT NULL, 
	value VARCHAR NOT NULL, 
	PRIMARY KEY ("key")
);

CREATE TABLE sides (
	id VARCHAR NOT NULL, 
	name VARCHAR NOT NULL, 
	colour VARCHAR NOT NULL, 
	ord INTEGER NOT NULL, 
	PRIMARY KEY (id)
);

CREATE TABLE sources (
	id VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	outlet VARCHAR NOT NULL, 
	outlet_inferred BOOLEAN NOT NULL, 
	url VARCHAR NOT NULL, 
	author VARCHAR NOT NULL, 
	published VARCHAR, 
	published_sort VARCHAR, 
	published_inferred BOOLEAN NOT NULL, 
	published_note VARCHAR, 
	retrieved VARCHAR, 
	sha256 VARCHAR NOT NULL, 
	notes VARCHAR NOT NULL, 
	body VARCHAR NOT NULL, 
	original_sha256 VARCHAR, 
	copy_of VARCHAR, 
	truncated BOOLEAN NOT NULL, 
	PRIMARY KEY (id)
);

CREATE TABLE status_changes (
	claim_id VARCHAR NOT NULL, 
	idx INTEGER NOT NULL, 
	"on" VARCHAR NOT NULL, 
	on_sort VARCHAR NOT NULL, 
	on_inferred BOOLEAN NOT NULL, 
	status VARCHAR NOT NULL, 
	note VARCHAR NOT NULL, 
	PRIMARY KEY (claim_id, idx)
);
