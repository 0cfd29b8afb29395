-- A password an admin set (a new account, a reset) is known to the admin: its owner must
-- replace it at the next login before doing anything else. Accounts that exist when this
-- migration runs chose their own passwords under the old rules and are left as they are.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
