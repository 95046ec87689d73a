-- Expert companies: vetted peers who give free first help. Contact details are shown to a victim
-- only after both sides said yes. `expertise` lives in expert_expertise (indexed by incident type),
-- `languages` is a JSON text array of ISO 639-1 codes.
CREATE TABLE experts (
    id TEXT PRIMARY KEY NOT NULL,
    status TEXT NOT NULL,
    paused BOOLEAN NOT NULL DEFAULT FALSE,
    company_name TEXT NOT NULL,
    kvk_number TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    phone TEXT NOT NULL,
    website TEXT,
    base_lat DOUBLE PRECISION NOT NULL,
    base_lon DOUBLE PRECISION NOT NULL,
    base_place TEXT NOT NULL,
    base_municipality TEXT NOT NULL,
    base_province TEXT NOT NULL,
    radius_km INTEGER NOT NULL,
    remote BOOLEAN NOT NULL,
    languages TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    -- Requests this expert accepted and has not completed yet; kept by the request workflow
    -- (+1 on accept, -1 on complete/close) in the same transaction, so "below capacity" is a
    -- column comparison in the candidate query.
    open_cases INTEGER NOT NULL DEFAULT 0,
    available_24_7 BOOLEAN NOT NULL,
    code_of_conduct_version INTEGER NOT NULL,
    code_of_conduct_accepted_at TIMESTAMP NOT NULL,
    -- The reason of the last rejection or suspension, shown to the expert.
    status_reason TEXT,
    verified_at TIMESTAMP,
    approved_at TIMESTAMP,
    -- Fair rotation in matching: when this expert was last referred.
    last_referral_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- The candidate query of matching: approved, unpaused, current code of conduct.
CREATE INDEX experts_matchable ON experts (status, paused, code_of_conduct_version);

CREATE TABLE expert_expertise (
    expert_id TEXT NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    incident_type TEXT NOT NULL,
    PRIMARY KEY (expert_id, incident_type)
);
CREATE INDEX expert_expertise_by_type ON expert_expertise (incident_type, expert_id);

-- Email verification links: single use, 48 hours; only the SHA-256 of the token is stored.
CREATE TABLE expert_verification_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    expert_id TEXT NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX expert_verification_tokens_by_expert ON expert_verification_tokens (expert_id);

-- The code of conduct, versioned; the current version is the highest. Experts must accept the
-- current version before they are matched.
CREATE TABLE code_of_conduct_versions (
    version INTEGER PRIMARY KEY NOT NULL,
    text_nl TEXT NOT NULL,
    text_en TEXT NOT NULL,
    published_at TIMESTAMP NOT NULL,
    published_by TEXT
);

-- Version 1 of the code of conduct.
INSERT INTO code_of_conduct_versions (version, text_nl, text_en, published_at, published_by)
VALUES (1, '# Gedragscode voor expertbedrijven van de Hackhelpdesk

1. **Gratis eerste hulp.** De eerste hulp aan een gedupeerde ondernemer is gratis.
2. **Geen verkooppraatje.** U doet geen commercieel aanbod en neemt geen commercieel contact op, tenzij de ondernemer daar zelf om vraagt.
3. **Vertrouwelijkheid.** Alles wat u over de ondernemer en het incident hoort, blijft vertrouwelijk en gebruikt u alleen om te helpen.
4. **Geen toegang op afstand zonder toestemming.** U neemt nooit op afstand toegang tot systemen zonder de uitdrukkelijke toestemming van de ondernemer.
5. **Belangenconflicten melden.** Heeft u een belang dat uw hulp kan kleuren (bijvoorbeeld een relatie met de dader, de leverancier of een concurrent), dan meldt u dat direct aan de ondernemer en aan het Platform Veilig Ondernemen.
6. **Eerlijk over uw grenzen.** Kunt u niet (meer) helpen, dan zegt u dat meteen, zodat de ondernemer iemand anders kan vragen.
', '# Code of conduct for Hackhelpdesk expert companies

1. **Free first help.** First help to a business hit by cybercrime is free of charge.
2. **No sales pitch.** You make no commercial offer and no commercial follow-up, unless the business owner asks for it.
3. **Confidentiality.** Everything you learn about the business and the incident stays confidential and is used only to help.
4. **No remote access without consent.** You never access systems remotely without the business owner''s explicit consent.
5. **Report conflicts of interest.** If you have an interest that could colour your help (for example a relation with the offender, the supplier or a competitor), you tell the business owner and the Platform Veilig Ondernemen at once.
6. **Honest about your limits.** If you cannot help (any more), you say so at once, so the business owner can ask someone else.
', '2026-11-23 00:00:00', NULL);

-- Sign-in throttling per email address (known or not, so the answer never reveals whether an
-- account exists): failures, and until when logins are refused. Keyed by the SHA-256 of the
-- lowercased address; a successful login deletes the row.
CREATE TABLE login_throttle (
    email_hash TEXT PRIMARY KEY NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    last_failed_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);
