// A customer opens a chat in the widget embedded in a company page; the agent's desktop shows the offer; the agent
// accepts, they exchange messages (with typing indicators both ways); the customer reloads the page and keeps the
// conversation; the customer's journey on the desktop shows it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { hub, launch, context, cleanUp, presence, signIn, desktopPresence, until, screenshot, watchErrors, reporting, WAIT } from './support.mjs';

let browser;
before(async () => {
  await cleanUp();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await cleanUp();
});

test('a web chat goes from the widget to the agent and back, survives a reload and is in the journey', async () => {
  const errors = [];
  await reporting(errors, async () => {
    const agent = await (await context(browser)).newPage();
    watchErrors(agent, errors);
    await signIn(agent, '/desktop/', 'alice');
    await desktopPresence(agent, 'AVAILABLE');
    await presence('bob', 'OFFLINE');

    const customer = await (await context(browser)).newPage();
    watchErrors(customer, errors);
    await customer.goto(hub.url + '/widget/demo.html');
    await customer.getByRole('button', { name: 'Contact us' }).click();
    const widget = customer.frameLocator('#musubi-widget-frame');
    await widget.getByRole('button', { name: 'Chat now' }).click();
    await widget.locator('#message').fill('Do you have the blue one in stock? 在庫はありますか？');
    await widget.getByRole('button', { name: 'Send' }).click();
    await widget.locator('#transcript li.in').first().waitFor({ timeout: WAIT });

    const offer = agent.locator('#offers li').first();
    await offer.waitFor({ timeout: WAIT });
    assert.match(await offer.innerText(), /Web chat/);
    assert.match(await offer.locator('.countdown').innerText(), /\d+ s left/);
    await screenshot(agent, 'desktop-offer');
    await offer.getByRole('button', { name: 'Accept' }).click();

    await agent.locator('#messages li[data-type="message_in"]').first().waitFor({ timeout: WAIT });
    assert.match(await agent.locator('#messages').innerText(), /在庫はありますか/);

    // The customer types: the agent sees it (once the desktop follows the conversation's live signals).
    await agent.locator('#conv[data-live="open"]').waitFor({ timeout: WAIT });
    await widget.locator('#message').pressSequentially('and', { delay: 20 });
    await agent.locator('#typing').waitFor({ state: 'visible', timeout: WAIT });

    await agent.locator('#reply').fill('Yes, we have three left. はい、在庫がございます。');
    await agent.locator('#reply-form').getByRole('button', { name: 'Send' }).click();
    await widget.locator('#transcript li.out').first().waitFor({ timeout: WAIT });
    assert.match(await widget.locator('#transcript li.out').first().innerText(), /在庫がございます/);
    await agent.locator('#messages li[data-type="message_out"]').first().waitFor({ timeout: WAIT });

    // The agent types: the customer sees it.
    await agent.locator('#reply').pressSequentially('Anything', { delay: 20 });
    await widget.locator('#agent-typing').waitFor({ state: 'visible', timeout: WAIT });
    await screenshot(customer, 'widget-chat');

    // The customer reloads the page and opens the widget again: the conversation is still there.
    await customer.reload();
    await customer.getByRole('button', { name: 'Contact us' }).click();
    await until('the transcript after the reload', async () => (await widget.locator('#transcript li').count()) >= 2);
    assert.match(await widget.locator('#transcript').innerText(), /在庫はありますか[\s\S]*在庫がございます/);

    // The journey beside the conversation shows the chat.
    await until('the journey with both messages', async () =>
      (await agent.locator('#journey li[data-type="message_in"]').count()) > 0
      && (await agent.locator('#journey li[data-type="message_out"]').count()) > 0);
    assert.match(await agent.locator('#identities').innerText(), /webchat:v-/);
    await screenshot(agent, 'desktop-conversation');

    await agent.locator('#disposition').fill('answered');
    await agent.locator('#notes').fill('asked about stock');
    await agent.getByRole('button', { name: 'Wrap up' }).click();
    await agent.locator('#conv-state[data-state="WRAP_UP"]').waitFor({ timeout: WAIT });
    await widget.locator('#chat-status').filter({ hasText: 'ended' }).waitFor({ timeout: WAIT });
    await agent.getByRole('button', { name: 'End', exact: true }).click();
    await agent.locator('#conv-none').waitFor({ state: 'visible', timeout: WAIT });

    assert.deepEqual(errors, []);
  });
});
