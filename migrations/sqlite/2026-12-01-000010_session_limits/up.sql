-- Why a session was ended, when not by its own user: 'replaced' when a new sign-in went past
-- the limit of sessions at once.
ALTER TABLE sessions ADD COLUMN ended_reason TEXT;
