DROP TABLE referral_messages;
