drop table notification_cursor;
drop table notification_deliveries;
drop table notification_endpoints;
