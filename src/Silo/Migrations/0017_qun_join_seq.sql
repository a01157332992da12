-- Unread counts of qun members who joined later (issue 15): a member's read-mark row of a qun records the qun's last
-- seq when the member was added (joined_seq), and unread counts from the later of read_seq and joined_seq, so a new
-- member does not see every kept message of the qun as unread. read_seq itself stays what the member has read: the
-- qun read count (how many members read a message) is not raised by joining.

ALTER TABLE msg_conversations ADD COLUMN IF NOT EXISTS joined_seq bigint NOT NULL DEFAULT 0;
