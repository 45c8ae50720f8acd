DROP TABLE shares;
DROP TABLE share_consent_scopes;
DROP TABLE share_consents;
