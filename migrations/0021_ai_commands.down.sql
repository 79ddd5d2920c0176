drop table ai_commands;
