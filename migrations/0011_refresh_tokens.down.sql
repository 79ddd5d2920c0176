-- Every SPA session ends: the next reload signs in again.
drop table refresh_tokens;
