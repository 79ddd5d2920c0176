drop index install_tasks_active;
drop index install_tasks_environment;
drop table install_tasks;
