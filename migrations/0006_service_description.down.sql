alter table services drop column description;
