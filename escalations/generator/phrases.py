"""What creators and users write, in the markets' languages: the words of the demo world's text.

``THEMES[theme][language]`` is (subjects, bodies) of one complaint theme: a steady theme per root
cause of the taxonomy, plus the emerging themes of ``voice.EMERGING``. ``FRAMES[language]`` holds
the parts around a complaint (greeting, an introduction with the requester's name and handle,
contact details, a profile link, an agent's name, a closing and a sign-off), where real tickets
carry their personal data. ``CSAT`` holds satisfaction comments: praise, complaints about the
service itself, and "still not fixed" about the escalation's own theme.

Slots: ``{amount}``, ``{days}``, ``{version}``, ``{code}`` in themes; ``{name}``, ``{first}``,
``{handle}``, ``{email}``, ``{phone}``, ``{url}``, ``{agent}`` in frames; ``{topic}`` in CSAT.
"""

from __future__ import annotations

LANGUAGES = ("en", "es", "pt", "id", "ja", "de")

# theme -> language -> (subjects, bodies)
THEMES: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "hijack_sim_swap": {
        "en": (
            ("Account hacked after SIM swap", "Someone took over my account"),
            (
                "Someone ported my phone number to a new SIM and then reset my password. They changed the "
                "email on my account and are posting scams to my followers.",
                "My account was taken over last night. I got a message that my SIM card was deactivated, and "
                "now the hacker changed my password and my recovery email.",
            ),
        ),
        "es": (
            ("Me hackearon la cuenta tras un cambio de SIM", "Alguien se apoderó de mi cuenta"),
            (
                "Alguien transfirió mi número a otra tarjeta SIM y después restableció mi contraseña. "
                "Cambiaron el correo de la cuenta y están publicando estafas para mis seguidores.",
                "Anoche me robaron la cuenta. Recibí un aviso de que mi SIM fue desactivada y ahora el hacker "
                "cambió mi contraseña y el correo de recuperación.",
            ),
        ),
        "pt": (
            ("Conta hackeada depois de troca de chip", "Invadiram minha conta"),
            (
                "Alguém transferiu meu número para outro chip e depois redefiniu minha senha. Mudaram o e-mail "
                "da conta e estão postando golpes para os meus seguidores.",
                "Minha conta foi invadida ontem à noite. Recebi um aviso de que meu chip foi desativado e "
                "agora o hacker trocou minha senha e o e-mail de recuperação.",
            ),
        ),
        "id": (
            ("Akun diretas setelah kartu SIM diganti", "Akun saya diambil alih orang lain"),
            (
                "Seseorang memindahkan nomor saya ke kartu SIM baru lalu mereset kata sandi saya. Mereka "
                "mengganti email akun dan sekarang memposting penipuan ke pengikut saya.",
                "Akun saya diretas tadi malam. Saya dapat pesan bahwa kartu SIM saya dinonaktifkan, dan "
                "sekarang peretas mengganti kata sandi dan email pemulihan saya.",
            ),
        ),
        "ja": (
            ("SIMスワップでアカウントを乗っ取られました", "アカウントが乗っ取られました"),
            (
                "誰かに電話番号を別のSIMカードに移され、パスワードをリセットされました。アカウントのメールアドレスも"
                "変更され、フォロワーに詐欺の投稿をされています。",
                "昨夜アカウントを乗っ取られました。SIMカードが無効になったという通知が来て、"
                "パスワードと復旧用メールアドレスを変更されました。",
            ),
        ),
        "de": (
            ("Konto nach SIM-Tausch gehackt", "Jemand hat mein Konto übernommen"),
            (
                "Jemand hat meine Telefonnummer auf eine neue SIM-Karte portiert und dann mein Passwort "
                "zurückgesetzt. Die E-Mail-Adresse wurde geändert und es werden Betrugsposts an meine "
                "Follower geschickt.",
                "Mein Konto wurde letzte Nacht übernommen. Ich bekam eine Nachricht, dass meine SIM-Karte "
                "deaktiviert wurde, und jetzt hat der Hacker mein Passwort und die Wiederherstellungs-E-Mail "
                "geändert.",
            ),
        ),
    },
    "login_2fa_failure": {
        "en": (
            ("Two-factor code never arrives", "Locked out: no 2FA text message"),
            (
                "I have been waiting for the two-factor verification code for {days} days. The SMS never "
                "arrives and the authenticator option is not offered.",
                "Every time I log in the app asks for the 2FA code, but the text message never comes. I tried "
                "resending the code many times.",
            ),
        ),
        "es": (
            ("No me llega el código de verificación en dos pasos", "Bloqueado: no llega el SMS de 2FA"),
            (
                "Llevo {days} días esperando el código de verificación en dos pasos. El SMS nunca llega y no "
                "aparece la opción de la app de autenticación.",
                "Cada vez que inicio sesión la app me pide el código 2FA, pero el mensaje de texto no llega. "
                "Ya pedí reenviar el código muchas veces.",
            ),
        ),
        "pt": (
            ("Código de verificação em duas etapas não chega", "Bloqueado: o SMS do 2FA não chega"),
            (
                "Estou esperando o código de verificação em duas etapas há {days} dias. O SMS nunca chega e a "
                "opção do aplicativo autenticador não aparece.",
                "Toda vez que faço login o app pede o código 2FA, mas a mensagem de texto não chega. Já pedi "
                "para reenviar o código várias vezes.",
            ),
        ),
        "id": (
            ("Kode verifikasi dua langkah tidak pernah masuk", "Terkunci: SMS kode 2FA tidak datang"),
            (
                "Sudah {days} hari saya menunggu kode verifikasi dua langkah. SMS-nya tidak pernah masuk dan "
                "pilihan aplikasi autentikator tidak muncul.",
                "Setiap kali login aplikasi meminta kode 2FA, tapi SMS-nya tidak datang. Saya sudah minta "
                "kirim ulang kode berkali-kali.",
            ),
        ),
        "ja": (
            ("二段階認証のコードが届きません", "2FAのSMSが届かずログインできません"),
            (
                "{days}日前から二段階認証のコードを待っていますが、SMSが届きません。認証アプリの選択肢も表示されません。",
                "ログインするたびに2FAコードを求められますが、SMSが届きません。何度も再送信しました。",
            ),
        ),
        "de": (
            ("Zwei-Faktor-Code kommt nie an", "Ausgesperrt: keine 2FA-SMS"),
            (
                "Ich warte seit {days} Tagen auf den Bestätigungscode für die Zwei-Faktor-Anmeldung. Die SMS "
                "kommt nie an und die Authenticator-Option wird nicht angeboten.",
                "Bei jeder Anmeldung fragt die App nach dem 2FA-Code, aber die SMS kommt nicht. Ich habe den "
                "Code schon oft neu angefordert.",
            ),
        ),
    },
    "password_reset_loop": {
        "en": (
            ("Password reset keeps looping", "Reset link sends me back to the start"),
            (
                "When I click the password reset link it asks me to reset again, in an endless loop. I cannot "
                "get into my account.",
                "I reset my password three times, but the login page keeps saying the password is wrong and "
                "sends me back to the reset screen.",
            ),
        ),
        "es": (
            (
                "El restablecimiento de contraseña entra en bucle",
                "El enlace de restablecer me devuelve al inicio",
            ),
            (
                "Cuando abro el enlace para restablecer la contraseña me pide restablecerla otra vez, en un "
                "bucle infinito. No puedo entrar a mi cuenta.",
                "Cambié la contraseña tres veces, pero la página de inicio de sesión dice que es incorrecta y "
                "me manda otra vez a la pantalla de restablecer.",
            ),
        ),
        "pt": (
            ("Redefinição de senha fica em loop", "O link de redefinir senha volta para o começo"),
            (
                "Quando clico no link para redefinir a senha ele pede para redefinir de novo, num loop sem "
                "fim. Não consigo entrar na minha conta.",
                "Redefini a senha três vezes, mas a tela de login continua dizendo que a senha está errada e "
                "me manda de volta para a tela de redefinição.",
            ),
        ),
        "id": (
            ("Reset kata sandi terus berputar", "Link reset mengembalikan saya ke awal"),
            (
                "Saat saya klik link reset kata sandi, saya diminta reset lagi terus-menerus tanpa henti. "
                "Saya tidak bisa masuk ke akun saya.",
                "Saya sudah reset kata sandi tiga kali, tapi halaman login tetap bilang kata sandinya salah "
                "dan mengembalikan saya ke layar reset.",
            ),
        ),
        "ja": (
            ("パスワードの再設定がループします", "再設定リンクが最初の画面に戻ります"),
            (
                "パスワード再設定のリンクを押すと、また再設定を求められて無限ループになります。アカウントに入れません。",
                "パスワードを3回再設定しましたが、ログイン画面でパスワードが違うと表示され、再設定画面に戻されます。",
            ),
        ),
        "de": (
            (
                "Passwort-Zurücksetzen hängt in einer Schleife",
                "Der Reset-Link schickt mich zurück zum Anfang",
            ),
            (
                "Wenn ich auf den Link zum Zurücksetzen des Passworts klicke, soll ich es wieder zurücksetzen, "
                "in einer endlosen Schleife. Ich komme nicht in mein Konto.",
                "Ich habe mein Passwort dreimal zurückgesetzt, aber die Anmeldeseite sagt immer, das Passwort "
                "sei falsch, und schickt mich zurück zum Zurücksetzen.",
            ),
        ),
    },
    "payout_delay_batch_job": {
        "en": (
            ("Payout not received this week", "Where is my payout?"),
            (
                "My payout of {amount} was scheduled for Friday, but it has not arrived in my bank account. "
                "The dashboard still says processing.",
                "This month's creator payout is late again. It has been pending for {days} days and I have "
                "bills to pay.",
            ),
        ),
        "es": (
            ("No recibí mi pago de esta semana", "¿Dónde está mi pago?"),
            (
                "Mi pago de {amount} estaba programado para el viernes, pero no ha llegado a mi cuenta "
                "bancaria. El panel sigue diciendo en proceso.",
                "El pago de creadores de este mes se retrasó otra vez. Lleva {days} días pendiente y tengo "
                "cuentas que pagar.",
            ),
        ),
        "pt": (
            ("Não recebi meu pagamento desta semana", "Cadê meu pagamento?"),
            (
                "Meu pagamento de {amount} estava previsto para sexta-feira, mas não caiu na minha conta "
                "bancária. O painel continua dizendo em processamento.",
                "O pagamento de criadores deste mês atrasou de novo. Está pendente há {days} dias e eu tenho "
                "contas para pagar.",
            ),
        ),
        "id": (
            ("Pembayaran minggu ini belum masuk", "Di mana pembayaran saya?"),
            (
                "Pembayaran saya sebesar {amount} dijadwalkan hari Jumat, tapi belum masuk ke rekening bank "
                "saya. Dasbor masih menulis sedang diproses.",
                "Pembayaran kreator bulan ini terlambat lagi. Sudah {days} hari tertunda dan saya punya "
                "tagihan yang harus dibayar.",
            ),
        ),
        "ja": (
            ("今週の支払いが届いていません", "報酬の振り込みはいつですか"),
            (
                "{amount}の支払いが金曜日に予定されていましたが、銀行口座に入金されていません。ダッシュボードは"
                "処理中のままです。",
                "今月のクリエイター報酬の支払いがまた遅れています。{days}日間保留中で、支払いに困っています。",
            ),
        ),
        "de": (
            ("Auszahlung diese Woche nicht erhalten", "Wo bleibt meine Auszahlung?"),
            (
                "Meine Auszahlung über {amount} war für Freitag geplant, ist aber nicht auf meinem Bankkonto "
                "angekommen. Im Dashboard steht immer noch in Bearbeitung.",
                "Die Creator-Auszahlung ist diesen Monat wieder verspätet. Sie ist seit {days} Tagen ausstehend "
                "und ich habe Rechnungen zu bezahlen.",
            ),
        ),
    },
    "gift_revenue_mismatch": {
        "en": (
            ("Gift revenue does not match the dashboard", "Missing gift earnings from my live"),
            (
                "Viewers sent me gifts during my live stream, but the diamonds in my wallet are much lower than "
                "what the live summary showed.",
                "The gift revenue in my earnings dashboard does not match the live session report. About "
                "{amount} is missing.",
            ),
        ),
        "es": (
            (
                "Los ingresos por regalos no coinciden con el panel",
                "Faltan ganancias de regalos de mi directo",
            ),
            (
                "Los espectadores me enviaron regalos durante mi directo, pero los diamantes de mi billetera "
                "son muchos menos de lo que mostraba el resumen del directo.",
                "Los ingresos por regalos del panel de ganancias no coinciden con el informe del directo. "
                "Faltan unos {amount}.",
            ),
        ),
        "pt": (
            ("Receita de presentes não bate com o painel", "Faltam ganhos de presentes da minha live"),
            (
                "Os espectadores me mandaram presentes durante a live, mas os diamantes na minha carteira são "
                "bem menos do que o resumo da live mostrou.",
                "A receita de presentes no painel de ganhos não bate com o relatório da live. Está faltando "
                "cerca de {amount}.",
            ),
        ),
        "id": (
            ("Pendapatan gift tidak sesuai dengan dasbor", "Penghasilan gift dari live saya hilang"),
            (
                "Penonton mengirim gift saat live saya, tapi jumlah diamond di dompet saya jauh lebih sedikit "
                "daripada ringkasan live.",
                "Pendapatan gift di dasbor penghasilan tidak sesuai dengan laporan sesi live. Sekitar {amount} "
                "hilang.",
            ),
        ),
        "ja": (
            ("ギフトの収益がダッシュボードと一致しません", "ライブのギフト収益が足りません"),
            (
                "ライブ配信中に視聴者からギフトをもらいましたが、ウォレットのダイヤがライブのまとめより大幅に少ないです。",
                "収益ダッシュボードのギフト収益がライブのレポートと一致しません。約{amount}が足りません。",
            ),
        ),
        "de": (
            (
                "Geschenk-Einnahmen stimmen nicht mit dem Dashboard überein",
                "Geschenk-Einnahmen aus meinem Live fehlen",
            ),
            (
                "Zuschauer haben mir während meines Livestreams Geschenke geschickt, aber die Diamanten in "
                "meiner Wallet sind viel weniger als in der Live-Zusammenfassung.",
                "Die Geschenk-Einnahmen im Dashboard stimmen nicht mit dem Bericht der Live-Session überein. "
                "Es fehlen etwa {amount}.",
            ),
        ),
    },
    "tax_form_rejected": {
        "en": (
            ("Tax form rejected again", "Tax information keeps getting rejected"),
            (
                "I submitted my tax form again and it was rejected without a reason. My payouts are on hold "
                "until it is accepted.",
                "The tax information page says my form is invalid, but I filled in every field exactly as the "
                "instructions say.",
            ),
        ),
        "es": (
            (
                "Rechazaron otra vez mi formulario de impuestos",
                "Mi información fiscal sigue siendo rechazada",
            ),
            (
                "Envié de nuevo mi formulario de impuestos y lo rechazaron sin ningún motivo. Mis pagos están "
                "retenidos hasta que lo acepten.",
                "La página de información fiscal dice que mi formulario no es válido, pero completé cada campo "
                "tal como dicen las instrucciones.",
            ),
        ),
        "pt": (
            (
                "Formulário de impostos recusado de novo",
                "Minhas informações fiscais continuam sendo recusadas",
            ),
            (
                "Enviei meu formulário de impostos de novo e foi recusado sem motivo. Meus pagamentos estão "
                "retidos até ele ser aceito.",
                "A página de informações fiscais diz que meu formulário é inválido, mas preenchi todos os "
                "campos exatamente como as instruções pedem.",
            ),
        ),
        "id": (
            ("Formulir pajak ditolak lagi", "Informasi pajak saya terus ditolak"),
            (
                "Saya mengirim formulir pajak lagi dan ditolak tanpa alasan. Pembayaran saya ditahan sampai "
                "formulirnya diterima.",
                "Halaman informasi pajak bilang formulir saya tidak valid, padahal semua kolom sudah saya isi "
                "sesuai petunjuk.",
            ),
        ),
        "ja": (
            ("税務フォームがまた却下されました", "税務情報が何度も却下されます"),
            (
                "税務フォームを再提出しましたが、理由なく却下されました。承認されるまで支払いが保留されています。",
                "税務情報のページでフォームが無効と表示されますが、説明どおりにすべての項目を入力しました。",
            ),
        ),
        "de": (
            ("Steuerformular erneut abgelehnt", "Steuerinformationen werden immer wieder abgelehnt"),
            (
                "Ich habe mein Steuerformular noch einmal eingereicht und es wurde ohne Begründung abgelehnt. "
                "Meine Auszahlungen sind gesperrt, bis es akzeptiert wird.",
                "Die Seite mit den Steuerinformationen sagt, mein Formular sei ungültig, aber ich habe jedes "
                "Feld genau nach Anleitung ausgefüllt.",
            ),
        ),
    },
    "brand_payment_reconciliation": {
        "en": (
            ("Brand deal payment dispute", "Brand campaign payment missing"),
            (
                "I completed the sponsored campaign through the creator marketplace, but the brand payment was "
                "never released to me.",
                "The brand says they paid for the campaign, but the marketplace shows the payment as "
                "unreconciled.",
            ),
        ),
        "es": (
            ("Disputa por el pago de una marca", "Falta el pago de una campaña con marca"),
            (
                "Terminé la campaña patrocinada a través del marketplace de creadores, pero el pago de la marca "
                "nunca se me liberó.",
                "La marca dice que pagó la campaña, pero el marketplace muestra el pago como no conciliado.",
            ),
        ),
        "pt": (
            ("Disputa de pagamento de publi com marca", "Pagamento de campanha com marca sumiu"),
            (
                "Concluí a campanha patrocinada pelo marketplace de criadores, mas o pagamento da marca nunca "
                "foi liberado para mim.",
                "A marca diz que pagou pela campanha, mas o marketplace mostra o pagamento como não conciliado.",
            ),
        ),
        "id": (
            ("Sengketa pembayaran kerja sama brand", "Pembayaran kampanye brand tidak ada"),
            (
                "Saya sudah menyelesaikan kampanye bersponsor lewat marketplace kreator, tapi pembayaran dari "
                "brand tidak pernah dicairkan ke saya.",
                "Pihak brand bilang sudah membayar kampanyenya, tapi marketplace menunjukkan pembayaran belum "
                "direkonsiliasi.",
            ),
        ),
        "ja": (
            ("ブランド案件の支払いについて", "ブランドキャンペーンの報酬が未払いです"),
            (
                "クリエイターマーケットプレイスでスポンサーキャンペーンを完了しましたが、ブランドからの支払いが"
                "解放されていません。",
                "ブランド側は支払い済みと言っていますが、マーケットプレイスでは支払いが未照合と表示されます。",
            ),
        ),
        "de": (
            ("Streit um Zahlung aus Markenkooperation", "Zahlung für Markenkampagne fehlt"),
            (
                "Ich habe die gesponserte Kampagne über den Creator-Marktplatz abgeschlossen, aber die Zahlung "
                "der Marke wurde nie an mich freigegeben.",
                "Die Marke sagt, sie habe die Kampagne bezahlt, aber der Marktplatz zeigt die Zahlung als nicht "
                "abgeglichen.",
            ),
        ),
    },
    "false_positive_classifier": {
        "en": (
            ("Video removed in error", "My video was taken down for no reason"),
            (
                "My video was removed for violating the community guidelines, but it is a cooking tutorial "
                "with nothing harmful in it. The automatic review got it wrong.",
                "Your system flagged and removed my video as dangerous content. It is an educational video "
                "and it should be restored.",
            ),
        ),
        "es": (
            ("Eliminaron mi video por error", "Bajaron mi video sin motivo"),
            (
                "Eliminaron mi video por incumplir las normas de la comunidad, pero es un tutorial de cocina "
                "sin nada dañino. La revisión automática se equivocó.",
                "Su sistema marcó y eliminó mi video como contenido peligroso. Es un video educativo y debería "
                "ser restaurado.",
            ),
        ),
        "pt": (
            ("Vídeo removido por engano", "Derrubaram meu vídeo sem motivo"),
            (
                "Meu vídeo foi removido por violar as diretrizes da comunidade, mas é uma receita de culinária "
                "sem nada prejudicial. A análise automática errou.",
                "O sistema de vocês marcou e removeu meu vídeo como conteúdo perigoso. É um vídeo educativo e "
                "deveria ser restaurado.",
            ),
        ),
        "id": (
            ("Video dihapus karena kesalahan", "Video saya diturunkan tanpa alasan"),
            (
                "Video saya dihapus karena dianggap melanggar pedoman komunitas, padahal itu tutorial memasak "
                "tanpa konten berbahaya. Peninjauan otomatisnya salah.",
                "Sistem kalian menandai dan menghapus video saya sebagai konten berbahaya. Itu video edukasi "
                "dan seharusnya dipulihkan.",
            ),
        ),
        "ja": (
            ("動画が誤って削除されました", "理由なく動画が削除されました"),
            (
                "コミュニティガイドライン違反として動画が削除されましたが、有害な内容のない料理のチュートリアルです。"
                "自動審査の誤りです。",
                "システムに危険なコンテンツとして動画を削除されました。教育目的の動画なので復元してください。",
            ),
        ),
        "de": (
            ("Video fälschlicherweise entfernt", "Mein Video wurde ohne Grund gelöscht"),
            (
                "Mein Video wurde wegen Verstoßes gegen die Community-Richtlinien entfernt, aber es ist ein "
                "Kochtutorial ohne schädliche Inhalte. Die automatische Prüfung lag falsch.",
                "Ihr System hat mein Video als gefährlichen Inhalt markiert und entfernt. Es ist ein "
                "Lernvideo und sollte wiederhergestellt werden.",
            ),
        ),
    },
    "appeal_backlog": {
        "en": (
            ("Appeal still not reviewed", "Waiting weeks for my appeal"),
            (
                "I appealed the strike on my account {days} days ago and nobody has reviewed it yet. The "
                "appeal status still says pending.",
                "My appeal has been in review for weeks. Without a decision my account stays restricted and I "
                "cannot post.",
            ),
        ),
        "es": (
            ("Mi apelación sigue sin revisarse", "Semanas esperando mi apelación"),
            (
                "Apelé la sanción de mi cuenta hace {days} días y nadie la ha revisado todavía. El estado de "
                "la apelación sigue en pendiente.",
                "Mi apelación lleva semanas en revisión. Sin una decisión mi cuenta sigue restringida y no "
                "puedo publicar.",
            ),
        ),
        "pt": (
            ("Recurso ainda não analisado", "Semanas esperando meu recurso"),
            (
                "Recorri da penalidade na minha conta há {days} dias e ninguém analisou ainda. O status do "
                "recurso continua pendente.",
                "Meu recurso está em análise há semanas. Sem uma decisão minha conta continua restrita e não "
                "consigo postar.",
            ),
        ),
        "id": (
            ("Banding belum juga ditinjau", "Berminggu-minggu menunggu banding saya"),
            (
                "Saya mengajukan banding atas pelanggaran di akun saya {days} hari lalu dan belum ada yang "
                "meninjau. Status banding masih menunggu.",
                "Banding saya sudah berminggu-minggu dalam peninjauan. Tanpa keputusan akun saya tetap dibatasi "
                "dan saya tidak bisa posting.",
            ),
        ),
        "ja": (
            ("異議申し立てがまだ審査されていません", "異議申し立ての結果を何週間も待っています"),
            (
                "{days}日前にアカウントへの違反判定に異議を申し立てましたが、まだ誰も審査していません。"
                "ステータスは保留中のままです。",
                "異議申し立てが何週間も審査中です。結論が出ないのでアカウントが制限されたままで投稿できません。",
            ),
        ),
        "de": (
            ("Einspruch immer noch nicht geprüft", "Seit Wochen warte ich auf meinen Einspruch"),
            (
                "Ich habe vor {days} Tagen Einspruch gegen die Verwarnung meines Kontos eingelegt und niemand "
                "hat ihn bisher geprüft. Der Status ist immer noch ausstehend.",
                "Mein Einspruch ist seit Wochen in Prüfung. Ohne Entscheidung bleibt mein Konto eingeschränkt "
                "und ich kann nichts posten.",
            ),
        ),
    },
    "copyright_claim_dispute": {
        "en": (
            ("Copyright claim is wrong", "False copyright claim on my video"),
            (
                "A company claimed copyright on my video, but I composed the music myself and I own all the "
                "rights.",
                "I received a copyright claim for a clip that is my own original footage. I disputed it, but "
                "the claim is still active and my video is blocked.",
            ),
        ),
        "es": (
            ("El reclamo de derechos de autor es incorrecto", "Reclamo falso de copyright en mi video"),
            (
                "Una empresa reclamó derechos de autor sobre mi video, pero la música la compuse yo y tengo "
                "todos los derechos.",
                "Recibí un reclamo de copyright por un clip que es mi propia grabación original. Lo disputé, "
                "pero el reclamo sigue activo y mi video está bloqueado.",
            ),
        ),
        "pt": (
            ("Reivindicação de direitos autorais errada", "Reclamação falsa de copyright no meu vídeo"),
            (
                "Uma empresa reivindicou direitos autorais do meu vídeo, mas fui eu que compus a música e tenho "
                "todos os direitos.",
                "Recebi uma reclamação de copyright por um trecho que é gravação original minha. Contestei, mas "
                "a reclamação continua ativa e meu vídeo está bloqueado.",
            ),
        ),
        "id": (
            ("Klaim hak cipta salah", "Klaim hak cipta palsu di video saya"),
            (
                "Sebuah perusahaan mengklaim hak cipta atas video saya, padahal musiknya saya buat sendiri dan "
                "saya pemilik semua haknya.",
                "Saya menerima klaim hak cipta untuk klip rekaman asli saya sendiri. Sudah saya sanggah, tapi "
                "klaimnya masih aktif dan video saya diblokir.",
            ),
        ),
        "ja": (
            ("著作権の申し立てが間違っています", "動画に不当な著作権侵害の申し立てがありました"),
            (
                "ある会社に動画の著作権を申し立てられましたが、音楽は自分で作曲したもので、すべての権利を持っています。",
                "自分で撮影したオリジナル映像のクリップに著作権の申し立てが来ました。異議を出しましたが、"
                "申し立ては有効なままで動画がブロックされています。",
            ),
        ),
        "de": (
            ("Urheberrechtsanspruch ist falsch", "Falscher Copyright-Anspruch auf mein Video"),
            (
                "Eine Firma hat das Urheberrecht an meinem Video beansprucht, aber ich habe die Musik selbst "
                "komponiert und besitze alle Rechte.",
                "Ich habe einen Copyright-Anspruch für einen Clip bekommen, der mein eigenes Originalmaterial "
                "ist. Ich habe widersprochen, aber der Anspruch ist noch aktiv und mein Video gesperrt.",
            ),
        ),
    },
    "false_positive_audio_match": {
        "en": (
            ("Live stream muted by mistake", "Audio muted during my live"),
            (
                "My live stream was muted for copyrighted music, but I was only talking with my viewers. There "
                "was no music playing.",
                "The audio of my live was cut halfway because of an audio match, even though the song is "
                "licensed.",
            ),
        ),
        "es": (
            ("Silenciaron mi directo por error", "Me quitaron el audio durante el directo"),
            (
                "Silenciaron mi transmisión en vivo por música con derechos, pero yo solo estaba hablando con "
                "mis espectadores. No sonaba ninguna música.",
                "El audio de mi directo se cortó a la mitad por una coincidencia de audio, aunque la canción "
                "tiene licencia.",
            ),
        ),
        "pt": (
            ("Live silenciada por engano", "Áudio cortado durante minha live"),
            (
                "Minha live foi silenciada por música protegida, mas eu só estava conversando com meus "
                "espectadores. Não tinha música tocando.",
                "O áudio da minha live foi cortado no meio por uma correspondência de áudio, mesmo a música "
                "sendo licenciada.",
            ),
        ),
        "id": (
            ("Siaran live dibisukan karena kesalahan", "Audio dimatikan saat live saya"),
            (
                "Siaran live saya dibisukan karena musik berhak cipta, padahal saya hanya mengobrol dengan "
                "penonton. Tidak ada musik yang diputar.",
                "Audio live saya terputus di tengah karena audio match, padahal lagunya berlisensi.",
            ),
        ),
        "ja": (
            ("ライブ配信が誤ってミュートされました", "ライブ中に音声がミュートされました"),
            (
                "著作権のある音楽が理由でライブ配信がミュートされましたが、視聴者と話していただけで音楽は流していません。",
                "ライセンス済みの曲なのに、音声照合でライブの途中から音声が消されました。",
            ),
        ),
        "de": (
            ("Livestream versehentlich stummgeschaltet", "Ton während meines Lives stummgeschaltet"),
            (
                "Mein Livestream wurde wegen urheberrechtlich geschützter Musik stummgeschaltet, aber ich habe "
                "nur mit meinen Zuschauern geredet. Es lief keine Musik.",
                "Der Ton meines Lives wurde mittendrin wegen eines Audio-Treffers abgeschaltet, obwohl der Song "
                "lizenziert ist.",
            ),
        ),
    },
    "live_ban_error": {
        "en": (
            ("Live access removed in error", "Cannot go live anymore"),
            (
                "I lost access to live streaming yesterday without any warning or violation notice. I depend "
                "on lives for my income.",
                "The app says I am banned from going live, but I have never received a strike. Please restore "
                "my live access.",
            ),
        ),
        "es": (
            ("Me quitaron el acceso a directos por error", "Ya no puedo hacer directos"),
            (
                "Ayer perdí el acceso a las transmisiones en vivo sin ningún aviso ni notificación de "
                "infracción. Dependo de los directos para mis ingresos.",
                "La app dice que tengo prohibido hacer directos, pero nunca recibí una sanción. Por favor "
                "restauren mi acceso a los directos.",
            ),
        ),
        "pt": (
            ("Acesso à live removido por engano", "Não consigo mais fazer live"),
            (
                "Perdi o acesso às lives ontem sem nenhum aviso ou notificação de violação. Dependo das lives "
                "para minha renda.",
                "O app diz que estou banido de fazer live, mas nunca recebi nenhuma penalidade. Por favor "
                "restaurem meu acesso às lives.",
            ),
        ),
        "id": (
            ("Akses live dicabut karena kesalahan", "Tidak bisa live lagi"),
            (
                "Kemarin akses live saya hilang tanpa peringatan atau pemberitahuan pelanggaran. Penghasilan "
                "saya bergantung pada live.",
                "Aplikasi bilang saya dilarang live, padahal saya tidak pernah dapat pelanggaran. Tolong "
                "pulihkan akses live saya.",
            ),
        ),
        "ja": (
            ("ライブ配信の権限が誤って削除されました", "ライブ配信ができなくなりました"),
            (
                "昨日、警告や違反通知もなくライブ配信の権限がなくなりました。収入をライブに頼っています。",
                "アプリにライブ配信禁止と表示されますが、違反判定を受けたことはありません。ライブの権限を戻してください。",
            ),
        ),
        "de": (
            ("Live-Zugang fälschlich entzogen", "Ich kann nicht mehr live gehen"),
            (
                "Ich habe gestern ohne Warnung oder Verstoßmeldung den Zugang zum Livestreaming verloren. Ich "
                "bin für mein Einkommen auf Lives angewiesen.",
                "Die App sagt, ich sei für Lives gesperrt, aber ich habe nie eine Verwarnung bekommen. Bitte "
                "stellen Sie meinen Live-Zugang wieder her.",
            ),
        ),
    },
    "stream_ingest_failure": {
        "en": (
            ("Stream keeps dropping", "RTMP stream disconnects"),
            (
                "My stream from OBS keeps disconnecting every few minutes with an ingest error, even though my "
                "internet connection is stable.",
                "The live stream freezes and drops for all viewers. The stream key works, but the server "
                "rejects the RTMP connection.",
            ),
        ),
        "es": (
            ("La transmisión se corta todo el tiempo", "La transmisión RTMP se desconecta"),
            (
                "Mi transmisión desde OBS se desconecta cada pocos minutos con un error de ingesta, aunque mi "
                "conexión a internet es estable.",
                "El directo se congela y se cae para todos los espectadores. La clave de transmisión funciona, "
                "pero el servidor rechaza la conexión RTMP.",
            ),
        ),
        "pt": (
            ("A transmissão fica caindo", "Transmissão RTMP desconecta"),
            (
                "Minha transmissão pelo OBS desconecta a cada poucos minutos com erro de ingestão, mesmo com a "
                "internet estável.",
                "A live trava e cai para todos os espectadores. A chave de transmissão funciona, mas o servidor "
                "recusa a conexão RTMP.",
            ),
        ),
        "id": (
            ("Streaming terus terputus", "Stream RTMP terputus"),
            (
                "Stream saya dari OBS terus terputus setiap beberapa menit dengan error ingest, padahal "
                "koneksi internet saya stabil.",
                "Live stream membeku dan terputus untuk semua penonton. Stream key berfungsi, tapi server "
                "menolak koneksi RTMP.",
            ),
        ),
        "ja": (
            ("配信が何度も切れます", "RTMPの配信が切断されます"),
            (
                "OBSからの配信が数分ごとにインジェストエラーで切断されます。インターネット接続は安定しています。",
                "ライブ配信がフリーズしてすべての視聴者から切れます。ストリームキーは正しいのに、サーバーがRTMP接続を拒否します。",
            ),
        ),
        "de": (
            ("Stream bricht ständig ab", "RTMP-Stream trennt sich"),
            (
                "Mein Stream aus OBS bricht alle paar Minuten mit einem Ingest-Fehler ab, obwohl meine "
                "Internetverbindung stabil ist.",
                "Der Livestream friert ein und bricht für alle Zuschauer ab. Der Stream-Schlüssel funktioniert, "
                "aber der Server lehnt die RTMP-Verbindung ab.",
            ),
        ),
    },
    "upload_failure": {
        "en": (
            ("Upload fails at 99%", "Video upload keeps failing"),
            (
                "Every time I upload my video it gets stuck at 99% and then fails. I tried different files and "
                "networks.",
                "The upload fails with an error after a long time processing. The video is a normal MP4 file "
                "under 2 GB.",
            ),
        ),
        "es": (
            ("La subida falla al 99%", "No puedo subir mi video"),
            (
                "Cada vez que subo mi video se queda en 99% y luego falla. Probé con otros archivos y otras "
                "redes.",
                "La subida falla con un error después de mucho tiempo procesando. El video es un MP4 normal de "
                "menos de 2 GB.",
            ),
        ),
        "pt": (
            ("Upload trava em 99%", "Não consigo enviar meu vídeo"),
            (
                "Toda vez que envio meu vídeo ele trava em 99% e depois falha. Já tentei outros arquivos e "
                "outras redes.",
                "O upload falha com erro depois de muito tempo processando. O vídeo é um MP4 normal com menos "
                "de 2 GB.",
            ),
        ),
        "id": (
            ("Unggahan gagal di 99%", "Unggah video terus gagal"),
            (
                "Setiap kali saya mengunggah video, prosesnya macet di 99% lalu gagal. Saya sudah coba file dan "
                "jaringan lain.",
                "Unggahan gagal dengan error setelah lama diproses. Videonya file MP4 biasa di bawah 2 GB.",
            ),
        ),
        "ja": (
            ("アップロードが99%で失敗します", "動画のアップロードが失敗し続けます"),
            (
                "動画をアップロードするたびに99%で止まり、失敗します。別のファイルやネットワークでも試しました。",
                "長時間処理した後にエラーでアップロードが失敗します。動画は2GB未満の普通のMP4ファイルです。",
            ),
        ),
        "de": (
            ("Upload scheitert bei 99%", "Video-Upload schlägt immer wieder fehl"),
            (
                "Jedes Mal, wenn ich mein Video hochlade, bleibt es bei 99% hängen und schlägt dann fehl. Ich "
                "habe andere Dateien und Netzwerke probiert.",
                "Der Upload bricht nach langer Verarbeitung mit einem Fehler ab. Das Video ist eine normale "
                "MP4-Datei unter 2 GB.",
            ),
        ),
    },
    "analytics_missing": {
        "en": (
            ("Analytics missing since yesterday", "No data in my analytics"),
            (
                "My analytics dashboard shows zero views since yesterday, but my videos are clearly getting "
                "views and comments.",
                "The creator analytics have not updated for {days} days. I need the numbers for a brand report.",
            ),
        ),
        "es": (
            ("Faltan las estadísticas desde ayer", "No hay datos en mis estadísticas"),
            (
                "Mi panel de estadísticas muestra cero vistas desde ayer, pero mis videos claramente están "
                "recibiendo vistas y comentarios.",
                "Las estadísticas de creador no se actualizan desde hace {days} días. Necesito los números para "
                "un informe de una marca.",
            ),
        ),
        "pt": (
            ("Estatísticas sumiram desde ontem", "Sem dados nas minhas estatísticas"),
            (
                "Meu painel de estatísticas mostra zero visualizações desde ontem, mas meus vídeos claramente "
                "estão tendo visualizações e comentários.",
                "As estatísticas de criador não atualizam há {days} dias. Preciso dos números para um relatório "
                "de uma marca.",
            ),
        ),
        "id": (
            ("Analitik hilang sejak kemarin", "Tidak ada data di analitik saya"),
            (
                "Dasbor analitik saya menunjukkan nol penayangan sejak kemarin, padahal video saya jelas "
                "mendapat penayangan dan komentar.",
                "Analitik kreator tidak diperbarui selama {days} hari. Saya butuh angkanya untuk laporan brand.",
            ),
        ),
        "ja": (
            ("昨日からアナリティクスが表示されません", "アナリティクスにデータがありません"),
            (
                "昨日からアナリティクスのダッシュボードで再生回数がゼロになっていますが、動画には再生もコメントも"
                "ついています。",
                "クリエイターアナリティクスが{days}日間更新されていません。ブランドへのレポートに数字が必要です。",
            ),
        ),
        "de": (
            ("Statistiken fehlen seit gestern", "Keine Daten in meinen Statistiken"),
            (
                "Mein Statistik-Dashboard zeigt seit gestern null Aufrufe, obwohl meine Videos eindeutig "
                "Aufrufe und Kommentare bekommen.",
                "Die Creator-Statistiken wurden seit {days} Tagen nicht aktualisiert. Ich brauche die Zahlen für "
                "einen Bericht an eine Marke.",
            ),
        ),
    },
    "verification_request": {
        "en": (
            ("Verification badge request", "Request for a verified badge"),
            (
                "I would like to request the verification badge for my account. I have a large following and "
                "people keep impersonating me.",
                "I meet the requirements for verification and would like to apply for the verified badge on "
                "my profile.",
            ),
        ),
        "es": (
            ("Solicitud de insignia de verificación", "Pedido de la insignia verificada"),
            (
                "Quisiera solicitar la insignia de verificación para mi cuenta. Tengo muchos seguidores y la "
                "gente se hace pasar por mí.",
                "Cumplo los requisitos de verificación y me gustaría solicitar la insignia verificada en mi "
                "perfil.",
            ),
        ),
        "pt": (
            ("Pedido de selo de verificação", "Solicitação do selo verificado"),
            (
                "Gostaria de solicitar o selo de verificação para minha conta. Tenho muitos seguidores e as "
                "pessoas ficam se passando por mim.",
                "Cumpro os requisitos de verificação e gostaria de pedir o selo verificado no meu perfil.",
            ),
        ),
        "id": (
            ("Permintaan lencana verifikasi", "Pengajuan centang verifikasi"),
            (
                "Saya ingin mengajukan lencana verifikasi untuk akun saya. Pengikut saya banyak dan orang terus "
                "menyamar sebagai saya.",
                "Saya memenuhi syarat verifikasi dan ingin mengajukan lencana terverifikasi di profil saya.",
            ),
        ),
        "ja": (
            ("認証バッジの申請", "公式マークを申請したいです"),
            (
                "アカウントの認証バッジを申請したいです。フォロワーが多く、なりすましが続いています。",
                "認証の条件を満たしているので、プロフィールに認証バッジを申請したいです。",
            ),
        ),
        "de": (
            ("Antrag auf Verifizierungsabzeichen", "Anfrage für das Verifiziert-Abzeichen"),
            (
                "Ich möchte das Verifizierungsabzeichen für mein Konto beantragen. Ich habe viele Follower und "
                "Leute geben sich immer wieder als mich aus.",
                "Ich erfülle die Voraussetzungen für die Verifizierung und möchte das Abzeichen für mein Profil "
                "beantragen.",
            ),
        ),
    },
    "harassment_report": {
        "en": (
            ("Coordinated harassment in comments", "Being harassed by a group of accounts"),
            (
                "A group of accounts keeps leaving hateful comments on all my videos and sending me threatening "
                "messages.",
                "I am being harassed every day in my comments and DMs. I blocked them, but they keep creating "
                "new accounts.",
            ),
        ),
        "es": (
            ("Acoso coordinado en los comentarios", "Un grupo de cuentas me está acosando"),
            (
                "Un grupo de cuentas sigue dejando comentarios de odio en todos mis videos y me envía mensajes "
                "amenazantes.",
                "Me acosan todos los días en los comentarios y por mensaje directo. Los bloqueé, pero siguen "
                "creando cuentas nuevas.",
            ),
        ),
        "pt": (
            ("Ataque coordenado nos comentários", "Estou sendo assediada por um grupo de contas"),
            (
                "Um grupo de contas fica deixando comentários de ódio em todos os meus vídeos e me mandando "
                "mensagens ameaçadoras.",
                "Sou assediada todos os dias nos comentários e nas mensagens diretas. Bloqueei, mas eles criam "
                "contas novas.",
            ),
        ),
        "id": (
            ("Pelecehan terkoordinasi di kolom komentar", "Saya dilecehkan sekelompok akun"),
            (
                "Sekelompok akun terus meninggalkan komentar kebencian di semua video saya dan mengirim pesan "
                "ancaman.",
                "Saya dilecehkan setiap hari di komentar dan DM. Sudah saya blokir, tapi mereka terus membuat "
                "akun baru.",
            ),
        ),
        "ja": (
            ("コメント欄で組織的な嫌がらせを受けています", "複数のアカウントから嫌がらせを受けています"),
            (
                "複数のアカウントがすべての動画に誹謗中傷のコメントを書き込み、脅迫メッセージを送ってきます。",
                "毎日コメントとDMで嫌がらせを受けています。ブロックしても新しいアカウントを作られます。",
            ),
        ),
        "de": (
            ("Koordinierte Belästigung in den Kommentaren", "Ich werde von einer Gruppe Konten belästigt"),
            (
                "Eine Gruppe von Konten hinterlässt unter allen meinen Videos Hasskommentare und schickt mir "
                "Drohnachrichten.",
                "Ich werde jeden Tag in den Kommentaren und per DM belästigt. Ich habe sie blockiert, aber sie "
                "erstellen immer neue Konten.",
            ),
        ),
    },
    "impersonation": {
        "en": (
            ("Someone is impersonating me", "Fake account using my name and photos"),
            (
                "There is a fake account using my name and photos and asking my followers for money.",
                "Someone created an account that copies my profile and messages brands pretending to be me.",
            ),
        ),
        "es": (
            ("Alguien se hace pasar por mí", "Cuenta falsa con mi nombre y mis fotos"),
            (
                "Hay una cuenta falsa que usa mi nombre y mis fotos y pide dinero a mis seguidores.",
                "Alguien creó una cuenta que copia mi perfil y escribe a marcas haciéndose pasar por mí.",
            ),
        ),
        "pt": (
            ("Alguém está se passando por mim", "Conta falsa usando meu nome e minhas fotos"),
            (
                "Tem uma conta falsa usando meu nome e minhas fotos e pedindo dinheiro para os meus seguidores.",
                "Alguém criou uma conta que copia meu perfil e manda mensagem para marcas fingindo ser eu.",
            ),
        ),
        "id": (
            ("Ada yang menyamar sebagai saya", "Akun palsu memakai nama dan foto saya"),
            (
                "Ada akun palsu yang memakai nama dan foto saya dan meminta uang kepada pengikut saya.",
                "Seseorang membuat akun yang meniru profil saya dan menghubungi brand dengan berpura-pura "
                "menjadi saya.",
            ),
        ),
        "ja": (
            ("なりすましの被害にあっています", "名前と写真を使った偽アカウントがあります"),
            (
                "私の名前と写真を使った偽アカウントがあり、フォロワーにお金を要求しています。",
                "誰かが私のプロフィールをコピーしたアカウントを作り、本人のふりをしてブランドに連絡しています。",
            ),
        ),
        "de": (
            ("Jemand gibt sich als mich aus", "Fake-Konto mit meinem Namen und meinen Fotos"),
            (
                "Es gibt ein Fake-Konto, das meinen Namen und meine Fotos benutzt und meine Follower um Geld "
                "bittet.",
                "Jemand hat ein Konto erstellt, das mein Profil kopiert, und schreibt Marken an, als wäre er "
                "ich.",
            ),
        ),
    },
    "minor_safety": {
        "en": (
            ("Safety concern about a minor", "Child safety report"),
            (
                "I want to report an account that seems to belong to a child and is being contacted by adults "
                "in the comments.",
                "An adult keeps sending messages to a young viewer of my channel. Please look into it urgently.",
            ),
        ),
        "es": (
            ("Preocupación por la seguridad de un menor", "Denuncia de seguridad infantil"),
            (
                "Quiero denunciar una cuenta que parece ser de un niño y a la que adultos contactan en los "
                "comentarios.",
                "Un adulto sigue enviando mensajes a un espectador joven de mi canal. Por favor revísenlo con "
                "urgencia.",
            ),
        ),
        "pt": (
            ("Preocupação com a segurança de um menor", "Denúncia de segurança infantil"),
            (
                "Quero denunciar uma conta que parece ser de uma criança e que está sendo abordada por adultos "
                "nos comentários.",
                "Um adulto fica mandando mensagens para um espectador jovem do meu canal. Por favor verifiquem "
                "com urgência.",
            ),
        ),
        "id": (
            ("Kekhawatiran keselamatan anak", "Laporan keamanan anak"),
            (
                "Saya ingin melaporkan akun yang sepertinya milik anak-anak dan dihubungi orang dewasa di kolom "
                "komentar.",
                "Seorang dewasa terus mengirim pesan ke penonton muda di kanal saya. Tolong segera ditindaklanjuti.",
            ),
        ),
        "ja": (
            ("未成年の安全についての懸念", "子どもの安全に関する報告"),
            (
                "子どものものと思われるアカウントに、大人がコメントで接触しているので報告します。",
                "大人が私のチャンネルの若い視聴者にメッセージを送り続けています。至急確認してください。",
            ),
        ),
        "de": (
            ("Sorge um die Sicherheit eines Minderjährigen", "Meldung zum Kinderschutz"),
            (
                "Ich möchte ein Konto melden, das anscheinend einem Kind gehört und in den Kommentaren von "
                "Erwachsenen kontaktiert wird.",
                "Ein Erwachsener schickt einem jungen Zuschauer meines Kanals ständig Nachrichten. Bitte prüfen "
                "Sie das dringend.",
            ),
        ),
    },
    "law_enforcement_request": {
        "en": (
            ("Law-enforcement data request", "Request for account records"),
            (
                "This is a request from the police department for records of an account under investigation. "
                "The legal request is attached.",
                "We are requesting the preservation of account data related to an ongoing investigation.",
            ),
        ),
        "es": (
            ("Solicitud de datos de las autoridades", "Solicitud de registros de una cuenta"),
            (
                "Esta es una solicitud de la policía de registros de una cuenta bajo investigación. Se adjunta "
                "el requerimiento legal.",
                "Solicitamos la conservación de los datos de una cuenta relacionada con una investigación en "
                "curso.",
            ),
        ),
        "pt": (
            ("Pedido de dados de autoridade policial", "Solicitação de registros de conta"),
            (
                "Este é um pedido da polícia de registros de uma conta sob investigação. O ofício judicial "
                "segue em anexo.",
                "Solicitamos a preservação dos dados de uma conta relacionada a uma investigação em andamento.",
            ),
        ),
        "id": (
            ("Permintaan data dari penegak hukum", "Permintaan catatan akun"),
            (
                "Ini permintaan dari kepolisian atas catatan sebuah akun yang sedang diselidiki. Surat "
                "permintaan resmi terlampir.",
                "Kami meminta penyimpanan data akun yang terkait dengan penyelidikan yang sedang berjalan.",
            ),
        ),
        "ja": (
            ("捜査機関からのデータ開示請求", "アカウント記録の開示請求"),
            (
                "捜査中のアカウントの記録について、警察からの開示請求です。法的書面を添付します。",
                "捜査中の事件に関連するアカウントデータの保全を要請します。",
            ),
        ),
        "de": (
            ("Datenanfrage einer Strafverfolgungsbehörde", "Anfrage nach Kontodaten"),
            (
                "Dies ist eine Anfrage der Polizei nach Unterlagen zu einem Konto, gegen das ermittelt wird. "
                "Das rechtliche Ersuchen ist beigefügt.",
                "Wir ersuchen um Sicherung der Kontodaten im Zusammenhang mit laufenden Ermittlungen.",
            ),
        ),
    },
    "court_order": {
        "en": (
            ("Court order attached", "Legal notice and court order"),
            (
                "Please find attached a court order requiring the removal of the listed content.",
                "We are serving a court order on behalf of our client regarding the account described below.",
            ),
        ),
        "es": (
            ("Orden judicial adjunta", "Aviso legal y orden judicial"),
            (
                "Adjuntamos una orden judicial que exige retirar el contenido indicado.",
                "Notificamos una orden judicial en nombre de nuestro cliente sobre la cuenta descrita abajo.",
            ),
        ),
        "pt": (
            ("Ordem judicial em anexo", "Notificação legal e ordem judicial"),
            (
                "Segue em anexo uma ordem judicial que exige a remoção do conteúdo listado.",
                "Estamos notificando uma ordem judicial em nome do nosso cliente sobre a conta descrita abaixo.",
            ),
        ),
        "id": (
            ("Perintah pengadilan terlampir", "Pemberitahuan hukum dan perintah pengadilan"),
            (
                "Terlampir perintah pengadilan yang mewajibkan penghapusan konten yang tercantum.",
                "Kami menyampaikan perintah pengadilan atas nama klien kami terkait akun yang dijelaskan di "
                "bawah.",
            ),
        ),
        "ja": (
            ("裁判所命令を添付します", "法的通知と裁判所命令"),
            (
                "記載のコンテンツの削除を命じる裁判所命令を添付します。",
                "依頼人に代わり、下記のアカウントに関する裁判所命令を送付します。",
            ),
        ),
        "de": (
            ("Gerichtsbeschluss anbei", "Rechtlicher Hinweis und Gerichtsbeschluss"),
            (
                "Anbei finden Sie einen Gerichtsbeschluss, der die Entfernung der aufgeführten Inhalte anordnet.",
                "Wir stellen im Namen unseres Mandanten einen Gerichtsbeschluss zu dem unten beschriebenen "
                "Konto zu.",
            ),
        ),
    },
    "app_crash_release": {
        "en": (
            ("App crashes on launch after update", "App keeps crashing since the latest version"),
            (
                "Since the latest app update the app crashes on launch. I reinstalled it and restarted my "
                "phone, nothing helps.",
                "The app closes immediately when I open the camera to record. It started after updating to "
                "version {version}.",
            ),
        ),
        "es": (
            ("La app se cierra al abrirla tras la actualización", "La app falla desde la última versión"),
            (
                "Desde la última actualización la app se cierra al abrirla. La reinstalé y reinicié el "
                "teléfono, nada funciona.",
                "La app se cierra en cuanto abro la cámara para grabar. Empezó después de actualizar a la "
                "versión {version}.",
            ),
        ),
        "pt": (
            ("App fecha sozinho depois da atualização", "App travando desde a última versão"),
            (
                "Desde a última atualização o app fecha assim que abro. Reinstalei e reiniciei o celular, nada "
                "resolve.",
                "O app fecha na hora que abro a câmera para gravar. Começou depois de atualizar para a versão "
                "{version}.",
            ),
        ),
        "id": (
            ("Aplikasi langsung keluar setelah update", "Aplikasi terus crash sejak versi terbaru"),
            (
                "Sejak update terakhir aplikasinya langsung crash saat dibuka. Sudah saya instal ulang dan HP "
                "saya restart, tetap tidak bisa.",
                "Aplikasi langsung tertutup saat saya buka kamera untuk merekam. Mulai terjadi setelah update ke "
                "versi {version}.",
            ),
        ),
        "ja": (
            ("アップデート後にアプリが起動直後に落ちます", "最新バージョンからアプリがクラッシュします"),
            (
                "最新のアップデート以降、アプリが起動するとすぐに落ちます。再インストールもスマホの再起動も試しましたが直りません。",
                "録画しようとカメラを開くとアプリがすぐに閉じます。バージョン{version}にアップデートしてから起きています。",
            ),
        ),
        "de": (
            ("App stürzt nach dem Update beim Start ab", "App stürzt seit der neuesten Version ab"),
            (
                "Seit dem letzten App-Update stürzt die App beim Start ab. Ich habe sie neu installiert und das "
                "Handy neu gestartet, nichts hilft.",
                "Die App schließt sich sofort, wenn ich die Kamera zum Aufnehmen öffne. Das begann nach dem "
                "Update auf Version {version}.",
            ),
        ),
    },
    "region_outage": {
        "en": (
            ("Nothing loads in my region", "App not working in my country"),
            (
                "Nothing loads in the app for me and my friends here. The feed is empty and videos do not play.",
                "The whole app has been down in my region for hours. Everyone I know has the same problem.",
            ),
        ),
        "es": (
            ("No carga nada en mi región", "La app no funciona en mi país"),
            (
                "No carga nada en la app, ni a mí ni a mis amigos de aquí. El feed está vacío y los videos no "
                "se reproducen.",
                "Toda la app lleva horas caída en mi región. Todos mis conocidos tienen el mismo problema.",
            ),
        ),
        "pt": (
            ("Nada carrega na minha região", "App não funciona no meu país"),
            (
                "Nada carrega no app para mim e para meus amigos daqui. O feed está vazio e os vídeos não "
                "rodam.",
                "O app inteiro está fora do ar na minha região há horas. Todo mundo que conheço tem o mesmo "
                "problema.",
            ),
        ),
        "id": (
            ("Tidak ada yang bisa dimuat di wilayah saya", "Aplikasi tidak berfungsi di negara saya"),
            (
                "Tidak ada yang bisa dimuat di aplikasi untuk saya dan teman-teman di sini. Beranda kosong dan "
                "video tidak bisa diputar.",
                "Aplikasinya sudah berjam-jam mati di wilayah saya. Semua orang yang saya kenal mengalami "
                "masalah yang sama.",
            ),
        ),
        "ja": (
            ("自分の地域で何も読み込まれません", "国内でアプリが使えません"),
            (
                "私も近くの友人もアプリで何も読み込めません。フィードが空で動画が再生されません。",
                "私の地域で何時間もアプリ全体がダウンしています。知り合い全員が同じ問題を抱えています。",
            ),
        ),
        "de": (
            ("In meiner Region lädt nichts", "App funktioniert in meinem Land nicht"),
            (
                "Bei mir und meinen Freunden hier lädt in der App nichts. Der Feed ist leer und Videos spielen "
                "nicht ab.",
                "Die ganze App ist in meiner Region seit Stunden ausgefallen. Alle, die ich kenne, haben das "
                "gleiche Problem.",
            ),
        ),
    },
    "unknown": {
        "en": (
            ("Need help with my account", "Question about my account"),
            (
                "I have a problem with my account and I do not know which option to choose. Can someone help "
                "me?",
                "Something is wrong with my profile and I could not find an answer in the help center.",
            ),
        ),
        "es": (
            ("Necesito ayuda con mi cuenta", "Pregunta sobre mi cuenta"),
            (
                "Tengo un problema con mi cuenta y no sé qué opción elegir. ¿Alguien me puede ayudar?",
                "Algo anda mal con mi perfil y no encontré respuesta en el centro de ayuda.",
            ),
        ),
        "pt": (
            ("Preciso de ajuda com minha conta", "Dúvida sobre minha conta"),
            (
                "Estou com um problema na minha conta e não sei qual opção escolher. Alguém pode me ajudar?",
                "Tem algo errado com meu perfil e não achei resposta na central de ajuda.",
            ),
        ),
        "id": (
            ("Butuh bantuan dengan akun saya", "Pertanyaan tentang akun saya"),
            (
                "Ada masalah dengan akun saya dan saya tidak tahu harus pilih opsi yang mana. Ada yang bisa "
                "membantu?",
                "Ada yang salah dengan profil saya dan saya tidak menemukan jawaban di pusat bantuan.",
            ),
        ),
        "ja": (
            ("アカウントについて助けてください", "アカウントに関する質問"),
            (
                "アカウントに問題があるのですが、どの項目を選べばよいかわかりません。助けていただけますか。",
                "プロフィールの様子がおかしいのですが、ヘルプセンターで答えが見つかりませんでした。",
            ),
        ),
        "de": (
            ("Brauche Hilfe mit meinem Konto", "Frage zu meinem Konto"),
            (
                "Ich habe ein Problem mit meinem Konto und weiß nicht, welche Option ich wählen soll. Kann mir "
                "jemand helfen?",
                "Mit meinem Profil stimmt etwas nicht und ich habe im Hilfecenter keine Antwort gefunden.",
            ),
        ),
    },
    # ---- emerging themes (voice.EMERGING): new complaints that start on a known day and grow
    "payout_zero_after_update": {
        "en": (
            ("Balance shows 0.00 after updating to {version}", "Withdraw button greyed out since the update"),
            (
                "Since I updated the app to version {version} my payout balance shows 0.00 and the withdraw "
                "button is greyed out. Before the update I had {amount} available.",
                "After the {version} update my earnings wallet says 0.00 and I get error {code} when I try "
                "to withdraw.",
            ),
        ),
        "es": (
            (
                "El saldo aparece en 0,00 tras actualizar a {version}",
                "Botón de retirar desactivado desde la actualización",
            ),
            (
                "Desde que actualicé la app a la versión {version} mi saldo de pagos aparece en 0,00 y el botón "
                "de retirar está desactivado. Antes de actualizar tenía {amount} disponibles.",
                "Después de la actualización {version} mi billetera de ganancias marca 0,00 y me sale el error "
                "{code} cuando intento retirar.",
            ),
        ),
        "pt": (
            (
                "Saldo aparece 0,00 depois de atualizar para {version}",
                "Botão de saque desativado desde a atualização",
            ),
            (
                "Desde que atualizei o app para a versão {version} meu saldo de pagamentos aparece 0,00 e o "
                "botão de saque está desativado. Antes da atualização eu tinha {amount} disponível.",
                "Depois da atualização {version} minha carteira de ganhos mostra 0,00 e aparece o erro {code} "
                "quando tento sacar.",
            ),
        ),
        "id": (
            ("Saldo jadi 0,00 setelah update ke {version}", "Tombol tarik dana tidak aktif sejak update"),
            (
                "Sejak saya update aplikasi ke versi {version}, saldo pembayaran saya jadi 0,00 dan tombol "
                "tarik dana tidak aktif. Sebelum update saya punya {amount}.",
                "Setelah update {version} dompet penghasilan saya menunjukkan 0,00 dan muncul error {code} "
                "saat saya mencoba tarik dana.",
            ),
        ),
        "ja": (
            ("{version}にアップデート後、残高が0.00と表示されます", "アップデート後に出金ボタンが押せません"),
            (
                "アプリをバージョン{version}にアップデートしてから、報酬残高が0.00と表示され、出金ボタンが押せません。"
                "アップデート前は{amount}ありました。",
                "{version}のアップデート後、収益ウォレットが0.00になり、出金しようとするとエラー{code}が出ます。",
            ),
        ),
        "de": (
            ("Guthaben zeigt 0,00 nach Update auf {version}", "Auszahlungsbutton seit dem Update ausgegraut"),
            (
                "Seit ich die App auf Version {version} aktualisiert habe, zeigt mein Auszahlungsguthaben 0,00 "
                "und der Auszahlen-Button ist ausgegraut. Vor dem Update hatte ich {amount} verfügbar.",
                "Nach dem Update auf {version} zeigt meine Einnahmen-Wallet 0,00 und beim Auszahlen kommt der "
                "Fehler {code}.",
            ),
        ),
    },
    "auto_dub_wrong_language": {
        "en": (
            ("Auto-dub put the wrong language on my video", "Cannot turn off AI dubbing"),
            (
                "The new auto-dubbing feature added a dubbed audio track in the wrong language to my videos, "
                "and my viewers hear a robot voice.",
                "AI dubbing was switched on for my channel without asking. The dubbed voice translates my jokes "
                "wrong and I cannot find where to turn it off.",
            ),
        ),
        "es": (
            ("El doblaje automático puso otro idioma en mi video", "No puedo desactivar el doblaje con IA"),
            (
                "La nueva función de doblaje automático añadió a mis videos una pista de audio doblada en el "
                "idioma equivocado y mis espectadores escuchan una voz de robot.",
                "Activaron el doblaje con IA en mi canal sin preguntar. La voz doblada traduce mal mis chistes y "
                "no encuentro dónde desactivarlo.",
            ),
        ),
        "pt": (
            (
                "Dublagem automática colocou o idioma errado no meu vídeo",
                "Não consigo desligar a dublagem por IA",
            ),
            (
                "O novo recurso de dublagem automática colocou nos meus vídeos uma faixa de áudio dublada no "
                "idioma errado e meus espectadores ouvem uma voz de robô.",
                "A dublagem por IA foi ativada no meu canal sem me perguntar. A voz dublada traduz minhas piadas "
                "errado e não acho onde desligar.",
            ),
        ),
        "id": (
            ("Sulih suara otomatis memakai bahasa yang salah", "Tidak bisa mematikan dubbing AI"),
            (
                "Fitur sulih suara otomatis yang baru menambahkan trek audio dubbing dengan bahasa yang salah "
                "ke video saya, dan penonton mendengar suara robot.",
                "Dubbing AI diaktifkan di kanal saya tanpa ditanya. Suara dubbing menerjemahkan lelucon saya "
                "dengan salah dan saya tidak menemukan cara mematikannya.",
            ),
        ),
        "ja": (
            ("自動吹き替えで動画に違う言語が付きました", "AI吹き替えをオフにできません"),
            (
                "新しい自動吹き替え機能で、動画に間違った言語の吹き替え音声が追加され、視聴者にはロボットの声が聞こえています。",
                "確認もなくチャンネルでAI吹き替えがオンになっていました。吹き替えの声がジョークを誤訳していて、"
                "オフにする場所が見つかりません。",
            ),
        ),
        "de": (
            (
                "Auto-Synchronisation hat die falsche Sprache auf mein Video gelegt",
                "KI-Synchronisation lässt sich nicht abschalten",
            ),
            (
                "Die neue automatische Synchronisation hat meinen Videos eine Tonspur in der falschen Sprache "
                "hinzugefügt, und meine Zuschauer hören eine Roboterstimme.",
                "Die KI-Synchronisation wurde für meinen Kanal ohne Nachfrage eingeschaltet. Die Stimme übersetzt "
                "meine Witze falsch und ich finde nicht, wo man sie abschaltet.",
            ),
        ),
    },
}


class Frame:
    """The parts around a complaint in one language."""

    def __init__(
        self,
        greetings: tuple[str, ...],
        intros: tuple[str, ...],
        contacts: tuple[str, ...],
        profiles: tuple[str, ...],
        agents: tuple[str, ...],
        closings: tuple[str, ...],
        signoffs: tuple[str, ...],
        joiner: str = " ",
    ) -> None:
        self.greetings = greetings
        self.intros = intros
        self.contacts = contacts
        self.profiles = profiles
        self.agents = agents
        self.closings = closings
        self.signoffs = signoffs
        self.joiner = joiner


FRAMES: dict[str, Frame] = {
    "en": Frame(
        ("Hi,", "Hello,", "Hi team,", "Hello support,"),
        ("My name is {name} and my account is @{handle}.", "This is {name} (@{handle}).",
         "I'm {name}, creator of the channel @{handle}."),
        ("You can call me on {phone}.", "Please email me at {email} or call {phone}.", "My email is {email}."),
        ("My profile: {url}", "Account link: {url}"),
        ("{agent} from your team said it would be fixed, but nothing changed.",
         "I already talked to {agent} last week."),
        ("Please help, this is urgent.", "Thanks in advance.", "Please fix this as soon as possible.", ""),
        ("Thanks,\n{first}", "Best,\n{name}", "— {name}", "Regards, {name}"),
    ),
    "es": Frame(
        ("Hola,", "Buenas tardes,", "Hola equipo de soporte,"),
        ("Me llamo {name} y mi cuenta es @{handle}.", "Soy {name} (@{handle})."),
        ("Pueden llamarme al {phone}.", "Mi correo es {email}.", "Escríbanme a {email} o llámenme al {phone}."),
        ("Mi perfil: {url}", "Enlace de la cuenta: {url}"),
        ("{agent} de su equipo me dijo que lo iban a resolver, pero sigue igual.",
         "Ya hablé con {agent} la semana pasada."),
        ("Por favor, ayúdenme, es urgente.", "Gracias de antemano.", ""),
        ("Gracias,\n{first}", "Saludos,\n{name}", "— {name}"),
    ),
    "pt": Frame(
        ("Olá,", "Oi,", "Boa tarde,", "Olá equipe de suporte,"),
        ("Meu nome é {name} e minha conta é @{handle}.", "Aqui é {name} (@{handle})."),
        ("Podem me ligar no {phone}.", "Meu e-mail é {email}.", "Me escrevam em {email} ou liguem para {phone}."),
        ("Meu perfil: {url}", "Link da conta: {url}"),
        ("{agent} da equipe de vocês disse que ia resolver, mas continua igual.",
         "Já falei com {agent} na semana passada."),
        ("Por favor, me ajudem, é urgente.", "Obrigado desde já.", ""),
        ("Obrigado,\n{first}", "Abraços,\n{name}", "— {name}"),
    ),
    "id": Frame(
        ("Halo,", "Selamat siang,", "Halo tim support,"),
        ("Nama saya {name} dan akun saya @{handle}.", "Saya {name} (@{handle})."),
        ("Silakan hubungi saya di {phone}.", "Email saya {email}.", "Hubungi saya lewat {email} atau telepon {phone}."),
        ("Profil saya: {url}", "Link akun: {url}"),
        ("{agent} dari tim kalian bilang akan diperbaiki, tapi tetap sama.",
         "Saya sudah bicara dengan {agent} minggu lalu."),
        ("Tolong bantu, ini mendesak.", "Terima kasih sebelumnya.", ""),
        ("Terima kasih,\n{first}", "Salam,\n{name}", "— {name}"),
    ),
    "ja": Frame(
        ("お世話になっております。", "こんにちは。", "サポートご担当者様"),
        ("{name}と申します。アカウントは@{handle}です。", "@{handle}の{name}です。"),
        ("連絡先は{phone}です。", "メールアドレスは{email}です。", "{email}または{phone}までご連絡ください。"),
        ("プロフィール: {url}", "アカウントのリンク: {url}"),
        ("先週{agent}さんに対応していただきましたが、まだ直っていません。",
         "{agent}さんから修正すると聞きましたが、変わっていません。"),
        ("至急対応をお願いします。", "よろしくお願いいたします。", ""),
        ("{name}", "よろしくお願いします。\n{name}"),
        joiner="",
    ),
    "de": Frame(
        ("Hallo,", "Guten Tag,", "Hallo Support-Team,"),
        ("Mein Name ist {name} und mein Konto ist @{handle}.", "Hier ist {name} (@{handle})."),
        ("Sie erreichen mich unter {phone}.", "Meine E-Mail ist {email}.",
         "Schreiben Sie mir an {email} oder rufen Sie {phone} an."),
        ("Mein Profil: {url}", "Link zum Konto: {url}"),
        ("{agent} aus Ihrem Team hat gesagt, dass es behoben wird, aber nichts hat sich geändert.",
         "Ich habe letzte Woche schon mit {agent} gesprochen."),
        ("Bitte helfen Sie mir, es ist dringend.", "Vielen Dank im Voraus.", ""),
        ("Danke,\n{first}", "Viele Grüße,\n{name}", "— {name}"),
    ),
}  # fmt: skip

# Satisfaction comments: praise, complaints about the service, and "still not fixed" about the
# escalation's own theme ({topic}: its subject).
CSAT: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "praise": ("Fast fix, thanks!", "Great support, problem solved.", "Thank you, {agent} was very helpful."),
        "service_slow": ("Took far too long to get an answer.", "I waited days for a reply."),
        "service_canned": ("Only copy-paste answers, nobody read my message.", "The replies were generic templates."),
        "service_closed_unsolved": ("You closed my ticket but the problem is not solved.",),
        "service_runaround": ("I was passed from team to team and had to explain everything again.",),
        "still": ("Still not fixed: {topic}.", "Closed, but this is still happening: {topic}."),
    },
    "es": {
        "praise": ("Lo resolvieron rápido, ¡gracias!", "Excelente atención, problema resuelto.",
                   "Gracias, {agent} me ayudó mucho."),
        "service_slow": ("Tardaron demasiado en responder.", "Esperé días una respuesta."),
        "service_canned": ("Solo respuestas copiadas, nadie leyó mi mensaje.", "Las respuestas eran plantillas."),
        "service_closed_unsolved": ("Cerraron mi caso pero el problema no está resuelto.",),
        "service_runaround": ("Me pasaron de un equipo a otro y tuve que explicar todo otra vez.",),
        "still": ("Sigue sin resolverse: {topic}.", "Lo cerraron, pero sigue pasando: {topic}."),
    },
    "pt": {
        "praise": ("Resolveram rápido, obrigado!", "Ótimo atendimento, problema resolvido.",
                   "Obrigado, {agent} ajudou muito."),
        "service_slow": ("Demoraram demais para responder.", "Esperei dias por uma resposta."),
        "service_canned": ("Só respostas prontas, ninguém leu minha mensagem.", "As respostas eram modelos genéricos."),
        "service_closed_unsolved": ("Fecharam meu chamado mas o problema não foi resolvido.",),
        "service_runaround": ("Fui passado de equipe em equipe e tive que explicar tudo de novo.",),
        "still": ("Continua sem solução: {topic}.", "Fecharam, mas continua acontecendo: {topic}."),
    },
    "id": {
        "praise": ("Cepat beres, terima kasih!", "Layanan bagus, masalah selesai.",
                   "Terima kasih, {agent} sangat membantu."),
        "service_slow": ("Terlalu lama menunggu jawaban.", "Saya menunggu balasan berhari-hari."),
        "service_canned": ("Hanya jawaban template, tidak ada yang membaca pesan saya.",),
        "service_closed_unsolved": ("Tiket saya ditutup padahal masalahnya belum selesai.",),
        "service_runaround": ("Saya dilempar dari tim ke tim dan harus menjelaskan semuanya lagi.",),
        "still": ("Masih belum beres: {topic}.", "Sudah ditutup, tapi masih terjadi: {topic}."),
    },
    "ja": {
        "praise": ("すぐに解決しました。ありがとうございます。", "丁寧な対応で問題が解決しました。",
                   "{agent}さんにとても助けていただきました。"),
        "service_slow": ("回答までに時間がかかりすぎです。", "返信を何日も待ちました。"),
        "service_canned": ("定型文の返信ばかりで、メッセージを読んでもらえませんでした。",),
        "service_closed_unsolved": ("問題が解決していないのにチケットを閉じられました。",),
        "service_runaround": ("部署をたらい回しにされ、何度も同じ説明をさせられました。",),
        "still": ("まだ直っていません: {topic}", "チケットは閉じられましたが、まだ起きています: {topic}"),
    },
    "de": {
        "praise": ("Schnell gelöst, danke!", "Toller Support, Problem gelöst.",
                   "Danke, {agent} war sehr hilfreich."),
        "service_slow": ("Es hat viel zu lange gedauert, bis eine Antwort kam.", "Ich habe Tage auf eine Antwort gewartet."),
        "service_canned": ("Nur Textbausteine, niemand hat meine Nachricht gelesen.",),
        "service_closed_unsolved": ("Sie haben mein Ticket geschlossen, aber das Problem ist nicht gelöst.",),
        "service_runaround": ("Ich wurde von Team zu Team weitergereicht und musste alles neu erklären.",),
        "still": ("Immer noch nicht behoben: {topic}.", "Geschlossen, aber es passiert immer noch: {topic}."),
    },
}  # fmt: skip
SERVICE_THEMES = ("service_slow", "service_canned", "service_closed_unsolved", "service_runaround")
