DROP TABLE mhtr_referrals;
DROP TABLE safeguarding_concerns;
DROP TABLE outbox;
DROP TABLE answer_links;
DROP TABLE referrals;
DROP TABLE partner_addresses;
DROP TABLE partner_services;
DROP TABLE partner_organisations;
