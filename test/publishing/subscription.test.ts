import { expect, it } from 'vitest';
import { useTestHub } from '../helpers/hub.ts';
import { deathsFile, keyFor, upload } from '../helpers/publishing.ts';
import { readEvents } from '../helpers/sse.ts';

const hub = useTestHub();

it('announces a published release to subscribers of its source over server-sent events', async () => {
  const response = await hub.hub.fetch('http://rusdata.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({
      query: 'subscription { releasePublished(source: "mortality") { id label source { id } } }',
    }),
  });
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const events = readEvents(response);
  await events.started();
  const token = await keyFor(hub, 'mortality');
  const { body } = await upload(hub, { content: deathsFile([[2024, 360]]), token });
  const event = await events.next();
  expect(event).toEqual({
    data: {
      releasePublished: {
        id: body.data!.publishRelease.release.id,
        label: 'Test release',
        source: { id: 'mortality' },
      },
    },
  });
  await events.close();
});

it('announces a release to a browser EventSource: a GET with accept text/event-stream', async () => {
  const query = 'subscription { releasePublished(source: "mortality") { label } }';
  const response = await hub.hub.fetch(`http://rusdata.test/graphql?${new URLSearchParams({ query })}`, {
    headers: { accept: 'text/event-stream' },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const events = readEvents(response);
  await events.started();
  const token = await keyFor(hub, 'mortality');
  await upload(hub, { content: deathsFile([[2024, 361]]), token });
  expect(await events.next()).toEqual({ data: { releasePublished: { label: 'Test release' } } });
  await events.close();
});
