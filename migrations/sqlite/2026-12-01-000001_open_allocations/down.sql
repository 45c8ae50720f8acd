DROP INDEX episodes_open_allocated;
