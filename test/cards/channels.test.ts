import { expect } from 'chai';
import { cardOrText, channelCaps, csatCard, csatText, versionAtMost, CARD_VERSION } from '../../dialogs/cards/index.js';

describe('channel capabilities', () => {
  it('knows what Teams, Web Chat and text-only channels render', () => {
    expect(channelCaps('msteams')).to.include({
      adaptiveCards: true,
      maxCardVersion: '1.5',
      maxSuggestedActions: 3,
      fileUpload: true,
    });
    expect(channelCaps('webchat')).to.include({ adaptiveCards: true, maxCardVersion: '1.6' });
    expect(channelCaps('directline')).to.deep.equal(channelCaps('webchat'));
    expect(channelCaps('sms')).to.include({
      adaptiveCards: false,
      suggestedActions: false,
      fileUpload: false,
      markdown: false,
    });
    expect(channelCaps('telegram')).to.include({ adaptiveCards: false, suggestedActions: true });
    expect(channelCaps('MSTeams').maxCardVersion).to.equal('1.5');
    expect(channelCaps('some-new-channel')).to.include({ adaptiveCards: false, suggestedActions: false });
  });

  it('compares card versions numerically', () => {
    expect(versionAtMost('1.2', '1.5')).to.equal(true);
    expect(versionAtMost('1.5', '1.5')).to.equal(true);
    expect(versionAtMost('1.6', '1.5')).to.equal(false);
    expect(versionAtMost('1.10', '1.6')).to.equal(false);
    expect(versionAtMost(CARD_VERSION, '0')).to.equal(false);
  });

  it('sends the card where it renders and plain text elsewhere', () => {
    const card = csatCard('en', 'K-1');
    for (const channel of ['msteams', 'webchat', 'directline', 'emulator', 'test']) {
      expect(cardOrText(channel, card, csatText('en')), channel).to.deep.equal({
        type: 'message',
        attachments: [card],
      });
    }
    for (const channel of ['sms', 'telegram', 'slack', 'unknown']) {
      expect(cardOrText(channel, card, csatText('en')), channel).to.deep.equal({
        type: 'message',
        text: csatText('en'),
        textFormat: 'plain',
      });
    }
  });

  it('falls back to text when the card needs a newer schema than the channel renders', () => {
    const newer = {
      ...csatCard('en', 'K-1'),
      content: { ...(csatCard('en', 'K-1').content as object), version: '1.6' },
    };
    expect(cardOrText('msteams', newer, 'text').text).to.equal('text');
    expect(cardOrText('webchat', newer, 'text').attachments).to.have.length(1);
  });
});
