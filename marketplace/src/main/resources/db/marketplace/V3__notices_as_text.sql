-- A notice keeps the frame's text exactly as it will be sent: the marketplace encodes frames once,
-- and the relay writes that text to the socket as it is. json kept the text too, but made every
-- reader turn it into an object and back.
ALTER TABLE notices ALTER COLUMN frame TYPE text USING frame::text;
