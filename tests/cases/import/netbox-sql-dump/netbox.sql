--
-- PostgreSQL database dump
--

SET statement_timeout = 0;
COPY public.dcim_device (id, name) FROM stdin;
