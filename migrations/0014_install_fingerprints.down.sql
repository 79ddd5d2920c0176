drop table install_fingerprints;
