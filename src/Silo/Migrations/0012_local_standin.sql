-- local stand-in for the media branch's 0012 (not committed)
SELECT 1;
