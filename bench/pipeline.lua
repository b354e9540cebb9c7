-- SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
-- wrk: send DEPTH requests (wrk's argument after --, default 8) back to
-- back on each connection; wrk writes the next batch when all are answered.
init = function(args)
	local depth = tonumber(args[1]) or 8
	local r = {}
	for i = 1, depth do
		r[i] = wrk.format(nil, "/")
	end
	req = table.concat(r)
end

request = function()
	return req
end
